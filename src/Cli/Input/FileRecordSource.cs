namespace Orlog.Cli.Input;

/// <summary>`orlog produce --value-file F...`: each file's bytes are one record's value, as kcat sends files; the key is --key-file's bytes, or none.</summary>
internal sealed class FileRecordSource(IReadOnlyList<FileInfo> files, byte[]? fixedKey) : IRecordSource
{
    private int _next;

    public long BytesRead { get; private set; }

    public bool TryRead(out byte[]? key, out byte[]? value)
    {
        if (_next == files.Count)
        {
            key = null;
            value = null;
            return false;
        }
        value = File.ReadAllBytes(files[_next++].FullName);
        BytesRead += value.Length;
        key = fixedKey;
        return true;
    }
}
