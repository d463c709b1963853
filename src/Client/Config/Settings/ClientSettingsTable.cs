using System.Text;

namespace Orlog.Client;

/// <summary>The docs' tables of client settings (docs/configuration.md), written from <see cref="ClientSettings"/>.</summary>
internal static class ClientSettingsTable
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("### Applied").AppendLine();
        text.AppendLine("| Setting | Also known as | Clients | Type | Default | Range | What it does in Orlog |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var setting in ClientSettings.All.Where(s => s.Effect == SettingEffect.Applied))
        {
            var refusal = setting.Refuse is null ? "" : " Other values are refused.";
            text.AppendLine($"| `{setting.Name}` | {Aliases(setting)} | {Clients(setting.Scope)} | {Kind(setting.Kind)} | {Code(setting.Default)} | {Cell(setting.Range)} | {Cell(setting.Description + refusal)} |");
        }
        text.AppendLine().AppendLine("### Accepted with no effect").AppendLine();
        text.AppendLine("Each is checked as Kafka checks it, and said once, at Information level, when a client starts.").AppendLine();
        text.AppendLine("| Setting | Clients | What it is | Why it has no effect |");
        text.AppendLine("|---|---|---|---|");
        foreach (var setting in ClientSettings.All.Where(s => s.Effect == SettingEffect.NoEffect))
        {
            text.AppendLine($"| `{setting.Name}` | {Clients(setting.Scope)} | {Cell(setting.Description)} | {Cell(setting.Why)} |");
        }
        text.AppendLine().AppendLine("### Refused").AppendLine();
        text.AppendLine("| Setting | Clients | What it is | Why, and what to do instead |");
        text.AppendLine("|---|---|---|---|");
        foreach (var setting in ClientSettings.All.Where(s => s.Effect == SettingEffect.Refused))
        {
            text.AppendLine($"| `{setting.Name}` | {Clients(setting.Scope)} | {Cell(setting.Description)} | {Cell(setting.Why)} |");
        }
        return text.ToString();
    }

    private static string Aliases(ClientSetting setting) => string.Join(", ", setting.Aliases.Select(a => $"`{a}`"));

    private static string Clients(SettingScope scope) => scope == SettingScope.Common ? "all"
        : string.Join(", ", new[] { SettingScope.Producer, SettingScope.Consumer, SettingScope.Admin }.Where(s => (scope & s) != 0).Select(s => s.ToString().ToLowerInvariant()));

    private static string Kind(SettingKind kind) => kind.ToString().ToLowerInvariant();

    private static string Code(string? value) => value is null ? "" : $"`{value}`";

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal);
}
