namespace Orlog.Cli.Input;

/// <summary>
/// Reads records for `orlog produce` from bytes: one per line, a line ending at '\n' (everything else, '\r'
/// included, is data, as kcat takes it). With a key separator, the bytes before its first occurrence are the key; a
/// line without it is an error naming the line number, and nothing after it is read. A key or value equal to the
/// null marker is sent as null.
/// </summary>
internal sealed class LineRecordReader : IRecordSource
{
    private readonly Stream _input;
    private readonly byte[]? _keySeparator;
    private readonly byte[]? _nullMarker;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    public LineRecordReader(Stream input, byte[]? keySeparator, byte[]? nullMarker)
    {
        _input = input;
        _keySeparator = keySeparator is { Length: > 0 } ? keySeparator : null;
        _nullMarker = nullMarker;
    }

    public long LineNumber { get; private set; }

    /// <summary>Bytes read so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next record, or false at the end of the input.</summary>
    /// <exception cref="FormatException">A line lacks the key separator; the message names the line.</exception>
    public bool TryRead(out byte[]? key, out byte[]? value)
    {
        if (!TryReadLine(out var line))
        {
            key = null;
            value = null;
            return false;
        }
        if (_keySeparator is null)
        {
            key = null;
            value = Bytes(line);
            return true;
        }
        var at = line.IndexOf(_keySeparator);
        if (at < 0)
        {
            throw new FormatException($"line {LineNumber} has no key separator; nothing from it on was sent.");
        }
        key = Bytes(line[..at]);
        value = Bytes(line[(at + _keySeparator.Length)..]);
        return true;
    }

    private byte[]? Bytes(ReadOnlySpan<byte> bytes) => _nullMarker is not null && bytes.SequenceEqual(_nullMarker) ? null : bytes.ToArray();

    /// <summary>The next line without its '\n' (valid until the next call); a last line without one counts too.</summary>
    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = pending[..newline];
                _start += newline + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                line = pending;
                _start = _end;
                if (line.IsEmpty)
                {
                    return false;
                }
                LineNumber++;
                return true;
            }
            if (_start > 0)
            {
                pending.CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = _input.Read(_buffer, _end, _buffer.Length - _end);
            _eof = read == 0;
            _end += read;
            BytesRead += read;
        }
    }
}
