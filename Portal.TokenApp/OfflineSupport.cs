using Microsoft.JSInterop;

namespace Portal.TokenApp;

/// <summary>C# side of wwwroot/js/register-sw.js: the service worker that lets the code screen open offline.</summary>
public sealed class OfflineSupport(IJSRuntime js)
{
    /// <summary>Registers the worker and stores the app's files in the background. Only after consent.</summary>
    public ValueTask EnableAsync() => js.InvokeVoidAsync("kitashinToken.enableOffline");

    /// <summary>
    /// Waits (bounded) until the app's files are stored, so a customer who goes offline right after set-up
    /// still gets the code screen. Never fails set-up: offline support is a convenience.
    /// </summary>
    public async Task WhenReadyAsync()
    {
        try
        {
            await js.InvokeAsync<bool>("kitashinToken.whenOfflineReady", 10_000);
        }
        catch (JSException)
        {
        }
    }
}
