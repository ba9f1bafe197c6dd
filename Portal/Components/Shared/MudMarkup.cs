using System.Text.Encodings.Web;
using System.Text.Unicode;
using MudBlazor;

namespace Portal.Components.Shared;

/// <summary>
/// MudBlazor's markup for what the layout and the メニュー画面 show and never change (links, the logout button, headings,
/// papers): the same elements and classes MudBlazor 9 renders, so the same styles, written into the component that shows
/// them. Every circuit keeps each component it renders, with its render tree, for its whole life (about 2.5 KB each, and
/// an idle circuit on the menu had 57 of them: issue 14, heap per circuit); such markup, made once, is one frame of its
/// parent. Inputs and what opens popovers or dialogs stay MudBlazor components.
/// </summary>
internal static class MudMarkup
{
    // Japanese as it is; only what HTML gives a meaning to is escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string text) => Html.Encode(text);

    /// <summary>The classes of a <c>MudButton</c> (its ripple is CSS only).</summary>
    public static string ButtonClass(Variant variant, Color color, Size size, string? extra = null)
    {
        var look = variant.ToString().ToLowerInvariant();
        return $"mud-button-root mud-button mud-button-{look} mud-button-{look}-{Name(color)} mud-button-{look}-size-{Name(size)} mud-ripple{(extra is null ? "" : " " + extra)}";
    }

    /// <summary>A <c>MudButton</c>'s label: its start icon (a <c>MudIcon</c>), then <paramref name="labelHtml"/>.</summary>
    public static string ButtonLabel(string icon, Size size, string labelHtml) =>
        $"<span class=\"mud-button-label\"><span class=\"mud-button-icon-start mud-button-icon-size-{Name(size)}\">" +
        $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{Name(size)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>" +
        $"</span>{labelHtml}</span>";

    private static string Name(Color color) => color.ToString().ToLowerInvariant();

    private static string Name(Size size) => size.ToString().ToLowerInvariant();
}
