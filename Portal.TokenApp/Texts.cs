namespace Portal.TokenApp;

/// <summary>Every string the customer sees, in one place.</summary>
public static class Texts
{
    public const string AppTitle = "ワンタイムパスワード";
    public const string Loading = "読み込み中…";
    public const string Checking = "確認中…";

    public const string ConsentHeading = "通信の許諾";
    public const string ConsentQuestion = "このアプリはネットワーク通信を行います。よろしいですか？";
    public const string No = "いいえ";
    public const string Yes = "はい";

    public const string EndedHeading = "終了";
    public const string Ended = "アプリを終了しました。このページを閉じてください。";
    public const string InvalidUrlHeading = "ご利用いただけません";
    public const string InvalidUrl =
        "このURLは無効か、有効期限が切れています。お手数ですが、インターネットバンキングからトークンを再発行してください。";

    public const string SetupHeading = "初期設定";
    public const string SetupIntro = "インターネットバンキングでお知らせした内容を入力し、「送信」を押してください。";
    public const string ServiceId = "サービスID";
    public const string UserId = "ユーザID";
    public const string ActivationPassword = "利用開始パスワード";
    public const string Exit = "終了";
    public const string Send = "送信";
    public const string Sending = "送信中…";

    public const string ServiceIdInvalid = "サービスIDは半角英数字20文字以内で入力してください。";
    public const string UserIdInvalid = "ユーザIDは半角数字10桁で入力してください。";
    public const string ActivationPasswordInvalid = "利用開始パスワードは半角数字4〜8桁で入力してください。";

    public const string TryLater = "しばらくしてから再度お試しください。";
    public const string NetworkError = "通信できませんでした。電波の良い場所で再度お試しください。";
    public const string SetupFailed = "初期設定を完了できませんでした。入力内容をご確認ください。";

    public const string SetupDoneHeading = "初期設定完了";
    public const string SetupDone = "初期設定が正常に完了しました。";
    public const string Next = "次へ";

    public const string CodeHeading = "ワンタイムパスワード";

    public const string TransactionAuthHeading = "取引認証";
    public const string TransactionAuthIntro =
        "インターネットバンキングの払込内容確認画面に表示された収納機関番号と払込金額を入力し、「表示」を押してください。";
    public const string InstitutionNumber = "収納機関番号";
    public const string Amount = "払込金額（円）";
    public const string AmountShown = "払込金額";
    public const string InstitutionNumberHint = "5桁の数字";
    public const string AmountHint = "例：12000";
    public const string InstitutionNumberInvalid = "収納機関番号は5桁の数字で入力してください。";
    public const string AmountInvalid = "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。";
    public const string Show = "表示";
    public const string Back = "戻る";
    public const string Reenter = "入力し直す";
    public const string TransactionCode = "取引認証用ワンタイムパスワード";
    public const string TransactionCheck =
        "収納機関番号と払込金額がお手元の払込票などの内容と同じことを確かめてから、このワンタイムパスワードをインターネットバンキングに入力してください。";

    public static string SecondsLeft(int seconds) => $"あと {seconds} 秒で更新されます";
    public static string ServiceIdLine(string serviceId) => $"サービスID: {serviceId}";
    public static string UserIdLine(string userId) => $"ユーザID: {userId}";
}
