using System.Text;

namespace Orlog.Cli;

/// <summary>The backslash escapes a shell makes awkward to type: \t, \n, \r and \\.</summary>
internal static class Escapes
{
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var escaped = text[i + 1] switch
                {
                    't' => '\t',
                    'n' => '\n',
                    'r' => '\r',
                    '\\' => '\\',
                    _ => (char?)null,
                };
                if (escaped is { } c)
                {
                    result.Append(c);
                    i++;
                    continue;
                }
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }
}
