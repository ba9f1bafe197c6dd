using MudBlazor;

namespace Portal.Components;

/// <summary>A calm bank theme: deep green for trust, warm grey surfaces, contrast at WCAG AA or better.</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0f5b4a",
            PrimaryDarken = "#0a4236",
            Secondary = "#8a5a00",
            AppbarBackground = "#0f5b4a",
            AppbarText = "#ffffff",
            Background = "#f4f6f5",
            Surface = "#ffffff",
            TextPrimary = "#1c2421",
            TextSecondary = "#4a5551",
            Error = "#b3261e",
            Success = "#1e6b3a",
            Info = "#0b5394",
            Warning = "#8a5a00",
            ActionDisabled = "#8a9490",
            LinesDefault = "#d5dbd8",
            TableLines = "#d5dbd8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Noto Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Meiryo", "Noto Sans CJK JP", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
