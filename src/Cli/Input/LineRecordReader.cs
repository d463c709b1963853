namespace Orlog.Cli.Input;

/// <summary>
/// Reads records for `orlog produce`: one per line. With a key separator, the text before its first
/// occurrence is the key; a line without it is an error naming the line number, and nothing after it is read.
/// </summary>
internal sealed class LineRecordReader
{
    private readonly TextReader _input;
    private readonly string? _keySeparator;
    private long _lineNumber;

    public LineRecordReader(TextReader input, string? keySeparator)
    {
        _input = input;
        _keySeparator = keySeparator;
    }

    public long LineNumber => _lineNumber;

    /// <summary>The next record, or false at the end of the input.</summary>
    /// <exception cref="FormatException">A line lacks the key separator; the message names the line.</exception>
    public bool TryRead(out string? key, out string value)
    {
        var line = _input.ReadLine();
        if (line is null)
        {
            key = null;
            value = "";
            return false;
        }
        _lineNumber++;
        if (_keySeparator is null)
        {
            key = null;
            value = line;
            return true;
        }
        var at = line.IndexOf(_keySeparator, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException($"line {_lineNumber} has no key separator '{Escape(_keySeparator)}'; nothing from it on was sent.");
        }
        key = line[..at];
        value = line[(at + _keySeparator.Length)..];
        return true;
    }

    private static string Escape(string separator) => separator.Replace("\t", "\\t", StringComparison.Ordinal);
}
