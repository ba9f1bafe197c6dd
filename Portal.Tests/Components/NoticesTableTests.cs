using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Shared;
using Portal.Domain.Notices;

namespace Portal.Tests.Components;

public class NoticesTableTests : BunitContext
{
    private static readonly Notice[] Notices =
    [
        new() { Id = 1, PublishedOn = new(2026, 11, 20), EndsOn = new(2027, 2, 1), Title = "ワンタイムパスワードのご案内", Body = "第一行\n<script>alert('x')</script>" },
        new() { Id = 2, PublishedOn = new(2026, 10, 1), EndsOn = new(2026, 12, 31), Title = "年末年始の休止", Body = "休止のお知らせ本文" },
    ];

    public NoticesTableTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
    }

    private IRenderedComponent<NoticesTable> RenderTable(IReadOnlyList<Notice>? notices, bool showAll = false, Action<bool>? onShowAll = null)
    {
        return Render<NoticesTable>(p => p
            .Add(t => t.Notices, notices)
            .Add(t => t.ShowAll, showAll)
            .Add(t => t.ShowAllChanged, EventCallback.Factory.Create<bool>(this, v => onShowAll?.Invoke(v))));
    }

    private static IElement Button(IRenderedComponent<NoticesTable> cut, string name) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == name);

    [Fact]
    public void Lists_each_notice_with_japanese_dates_under_the_guide_columns()
    {
        var cut = RenderTable(Notices);
        Assert.Equal(["選択", "ご案内日", "提供終了", "タイトル"], cut.FindAll("thead th").Select(th => th.TextContent.Trim()));
        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("2026年11月20日", rows[0].TextContent);
        Assert.Contains("2027年2月1日", rows[0].TextContent);
        Assert.Contains("ワンタイムパスワードのご案内", rows[0].TextContent);
        Assert.Equal(2, cut.FindAll("input[type=radio]").Count);
    }

    [Fact]
    public void The_first_notice_is_chosen_as_in_the_guide_so_content_display_works_at_once()
    {
        var cut = RenderTable(Notices);
        Assert.Equal([true, false], cut.FindAll("input[type=radio]").Select(r => r.HasAttribute("checked")));
        Assert.False(Button(cut, "内容表示").HasAttribute("disabled"));

        cut.FindAll("tbody tr")[1].Click();

        Assert.Equal([false, true], cut.FindAll("input[type=radio]").Select(r => r.HasAttribute("checked")));
    }

    [Fact]
    public void A_choice_that_leaves_the_list_falls_back_to_the_first_notice()
    {
        var cut = RenderTable(Notices);
        cut.FindAll("tbody tr")[1].Click();
        cut.Render(p => p.Add(t => t.Notices, [Notices[0]]));
        Assert.True(cut.Find("input[type=radio]").HasAttribute("checked"));
        Assert.False(Button(cut, "内容表示").HasAttribute("disabled"));
    }

    [Fact]
    public void Content_display_opens_the_selected_notice_as_plain_text()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderTable(Notices);
        Button(cut, "内容表示").Click(); // the first notice, chosen from the start

        dialogs.WaitForAssertion(() => Assert.Contains("第一行", dialogs.Markup));
        Assert.Contains("ワンタイムパスワードのご案内", dialogs.Markup);
        Assert.Empty(dialogs.FindAll(".mud-dialog script"));      // markup in a body stays text
        Assert.Contains("&lt;script&gt;", dialogs.Markup);
        Assert.DoesNotContain("休止のお知らせ本文", dialogs.Markup);
    }

    [Fact]
    public void All_titles_asks_for_past_notices_and_then_offers_to_go_back()
    {
        bool? requested = null;
        var cut = RenderTable(Notices, showAll: false, onShowAll: v => requested = v);
        Button(cut, "全タイトル表示").Click();
        Assert.True(requested);

        var all = RenderTable(Notices, showAll: true, onShowAll: v => requested = v);
        Assert.Contains("過去のお知らせを含む", all.Markup);
        Button(all, "掲載中のお知らせのみ表示").Click();
        Assert.False(requested);
    }

    [Fact]
    public void No_notices_says_so_and_loading_shows_progress()
    {
        Assert.Contains("現在、お知らせはありません。", RenderTable([]).Markup);
        Assert.NotEmpty(RenderTable(null).FindAll(".mud-progress-linear"));
    }
}
