using Portal.Otp;

namespace Portal.Tests.Components;

/// <summary>Audit details as staff read them: the services' machine words in Japanese, free text untouched.</summary>
public class StatusTextTests
{
    [Theory]
    [InlineData("download mail", "ダウンロードURLのお知らせメール")]
    [InlineData("step offset 0", "時計のずれ 0秒")]
    [InlineData("step offset -1", "時計のずれ -30秒")]
    [InlineData("failure 2", "2回目の失敗")]
    [InlineData("5 failures: issue void", "初期設定の失敗が上限に達したため無効")]
    [InlineData("forced-cancel", "強制利用解除")]
    [InlineData("step offset 9", "step offset 9")]
    [InlineData("code already used", "使用済みのワンタイムパスワード")]
    [InlineData("携帯電話の紛失: 本人来店", "携帯電話の紛失: 本人来店")]
    [InlineData("step offset <script>", "step offset <script>")]
    [InlineData("receipt 2611240123456789", "受付番号 2611240123456789")]
    [InlineData("refused: InsufficientFunds", "残高不足のためお受けできませんでした")]
    [InlineData("refused: DailyLimit", "1日の払込限度額を超えるためお受けできませんでした")]
    [InlineData("refused: something", "refused: something")]
    [InlineData("10 wrong bill numbers", "お客様番号・確認番号の誤りが続いたため、本日中のご利用を停止しました")]
    [InlineData("payment", "税金・各種料金の払込み")]
    public void Machine_words_are_translated_and_free_text_is_kept(string stored, string shown) =>
        Assert.Equal(shown, StatusText.Detail(stored));

    [Theory]
    [InlineData("customer", "お客様")]
    [InlineData("token-app", "トークンアプリ")]
    [InlineData("system", "システム")]
    [InlineData("admin01", "admin01")]
    public void Actors_are_named_in_japanese_and_admins_by_login_id(string stored, string shown) =>
        Assert.Equal(shown, StatusText.Actor(stored));
}
