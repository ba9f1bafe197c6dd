using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

/// <summary>
/// MudMarkup writes out what MudBlazor renders for the layout's and the menu's fixed parts (issue 14, heap per circuit).
/// After a MudBlazor upgrade these fail if MudBlazor's own markup moved on, instead of the pages losing their styles unseen.
/// </summary>
public class MudMarkupTests : BunitContext
{
    public MudMarkupTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Theory]
    [InlineData(Variant.Outlined, Color.Primary, Size.Large)]
    [InlineData(Variant.Outlined, Color.Primary, Size.Small)]
    [InlineData(Variant.Filled, Color.Primary, Size.Small)]
    public void A_button_link_has_MudButtons_classes_and_label(Variant variant, Color color, Size size)
    {
        var mud = Render<MudButton>(p => p.Add(b => b.Href, "/x").Add(b => b.Variant, variant).Add(b => b.Color, color)
            .Add(b => b.Size, size).Add(b => b.StartIcon, Icons.Material.Filled.History).Add(b => b.Class, "menu-entry")
            .AddChildContent("<strong>履歴</strong>"));
        var ours = Render(builder => builder.AddMarkupContent(0,
            $"<a href=\"/x\" class=\"{MudMarkup.ButtonClass(variant, color, size, "menu-entry")}\">" +
            MudMarkup.ButtonLabel(Icons.Material.Filled.History, size, "<strong>履歴</strong>") + "</a>"));

        var (theirs, mine) = (mud.Find("a"), ours.Find("a"));
        Assert.Equal(Classes(theirs), Classes(mine));
        Assert.Equal(Classes(theirs.QuerySelector(".mud-button-label")!), Classes(mine.QuerySelector(".mud-button-label")!));
        Assert.Equal(Classes(theirs.QuerySelector(".mud-button-icon-start")!), Classes(mine.QuerySelector(".mud-button-icon-start")!));
        Assert.Equal(Classes(theirs.QuerySelector("svg")!), Classes(mine.QuerySelector("svg")!));
        Assert.Equal(theirs.QuerySelector("svg")!.InnerHtml, mine.QuerySelector("svg")!.InnerHtml);
    }

    private static string[] Classes(AngleSharp.Dom.IElement element) => [.. element.ClassList.Order(StringComparer.Ordinal)];
}
