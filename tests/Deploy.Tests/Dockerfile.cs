using System.Text;
using System.Text.Json;

namespace Orlog.Deploy.Tests;

/// <summary>
/// A Dockerfile read as its parser reads it: one instruction a line, a trailing backslash continuing it,
/// '#' comment lines (also inside a continued instruction), stages started by FROM.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(List<Instruction> instructions) => Instructions = instructions;

    /// <summary>An instruction, its keyword upper-case, and the stage it belongs to (0 for the first FROM's).</summary>
    public sealed record Instruction(string Keyword, string Arguments, int Stage);

    public IReadOnlyList<Instruction> Instructions { get; }

    public int FinalStage => Instructions.Max(instruction => instruction.Stage);

    public IEnumerable<Instruction> InStage(int stage, string keyword) =>
        Instructions.Where(instruction => instruction.Stage == stage && instruction.Keyword == keyword);

    public static Dockerfile Load(string path)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }
            line = pending.Append(line).ToString();
            pending.Clear();
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }
            Assert.True(stage >= 0, $"{path}: '{line}' comes before the first FROM");
            instructions.Add(new Instruction(keyword, space < 0 ? "" : line[(space + 1)..].Trim(), stage));
        }
        Assert.True(pending.Length == 0, $"{path} ends inside a continued instruction");
        return new Dockerfile(instructions);
    }

    /// <summary>The variables ENV sets in a stage (ENV name=value ..., values optionally double-quoted).</summary>
    public Dictionary<string, string> Environment(int stage)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in InStage(stage, "ENV"))
        {
            foreach (var pair in SplitWords(env.Arguments))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"ENV {env.Arguments}: '{pair}' is not name=value (the legacy 'ENV name value' form is not used here)");
                variables[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        return variables;
    }

    /// <summary>The exec (JSON array) form of an instruction such as ENTRYPOINT: the words, or null for the shell form.</summary>
    public static string[]? ExecForm(Instruction instruction) =>
        instruction.Arguments.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(instruction.Arguments) : null;

    /// <summary>Whitespace-separated words, double quotes grouping.</summary>
    public static string[] SplitWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return [.. words];
    }
}
