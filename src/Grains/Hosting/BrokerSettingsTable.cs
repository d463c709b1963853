using System.Text;

namespace Orlog.Grains.Hosting;

/// <summary>The docs' table of broker settings (docs/configuration.md), written from <see cref="BrokerSettings"/>.</summary>
public static class BrokerSettingsTable
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("| Broker setting | Type | Default | Range | What it does |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var setting in BrokerSettings.All)
        {
            var kind = setting.Kind switch
            {
                BrokerSettingKind.Int => "int",
                BrokerSettingKind.Long => "long",
                BrokerSettingKind.Bool => "bool",
                _ => "as the topic config",
            };
            text.AppendLine($"| `{setting.Name}` | {kind} | `{setting.Default}` | {setting.Range} | {setting.Description} |");
        }
        return text.ToString();
    }
}
