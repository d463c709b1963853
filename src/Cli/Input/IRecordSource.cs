namespace Orlog.Cli.Input;

/// <summary>Where `orlog produce` takes its records from: lines (<see cref="LineRecordReader"/>) or whole files (<see cref="FileRecordSource"/>).</summary>
internal interface IRecordSource
{
    /// <summary>Bytes read so far (for progress).</summary>
    long BytesRead { get; }

    /// <summary>The next record, or false when there are no more.</summary>
    bool TryRead(out byte[]? key, out byte[]? value);
}
