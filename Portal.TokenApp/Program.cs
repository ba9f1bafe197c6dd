using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Portal.TokenApp;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");

// BaseAddress is .../token/; ActivationClient uses absolute paths because the API lives at the site root.
builder.Services.AddScoped(_ => new HttpClient
{
    BaseAddress = new Uri(builder.HostEnvironment.BaseAddress),
    Timeout = TimeSpan.FromSeconds(30),
});
builder.Services.AddScoped<ActivationClient>();
builder.Services.AddScoped<TokenStore>();
builder.Services.AddScoped<OfflineSupport>();
builder.Services.AddSingleton(TimeProvider.System);

await builder.Build().RunAsync();
