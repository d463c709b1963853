using System.Buffers;

namespace Orlog.Cli.Output;

/// <summary>How `orlog consume` lays one record out: --format, --property (Kafka's console consumer) or --template (kcat's -f).</summary>
internal interface IRecordLayout
{
    /// <summary>Writes the record, with its line end.</summary>
    void Write(in ConsumedRecord record, IBufferWriter<byte> output);
}
