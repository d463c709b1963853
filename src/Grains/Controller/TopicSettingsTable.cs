using System.Text;

namespace Orlog.Grains.Controller;

/// <summary>The docs' table of topic configs (docs/configuration.md), written from <see cref="TopicSettings"/>.</summary>
public static class TopicSettingsTable
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("| Topic config | In Orlog | What it does | Why it has no effect, or the values refused |");
        text.AppendLine("|---|---|---|---|");
        foreach (var setting in TopicSettings.All.OrderBy(s => s.Effect).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var effect = setting.Effect switch
            {
                TopicSettingEffect.Applied when setting.Refuse is not null => "applied (some values refused)",
                TopicSettingEffect.Applied => "applied",
                TopicSettingEffect.NoEffect => "no effect",
                _ => "refused",
            };
            var why = setting.Why ?? setting.Refuse?.Invoke("") ?? "";
            text.AppendLine($"| `{setting.Name}` | {effect} | {setting.Description} | {why} |");
        }
        return text.ToString();
    }
}
