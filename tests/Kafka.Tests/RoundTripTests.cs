using CsCheck;

namespace Orlog.Kafka.Tests;

/// <summary>
/// Every request and response of every API, in every version the codec has (the advertised ones and any
/// older or newer it keeps): a message with every field of that
/// version set to a value other than its default reads back equal, field by field, from exactly the bytes
/// written; and the bytes are the same when what was read is written again.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, short> EveryMessageVersion()
    {
        var data = new TheoryData<string, short>();
        foreach (var message in Messages.All)
        {
            for (var v = Messages.Constant(message, "LowestVersion"); v <= Messages.Constant(message, "HighestVersion"); v++)
            {
                data.Add(message.Name, v);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMessageVersion))]
    public void EveryFieldOfTheVersionSurvivesARoundTrip(string name, short version)
    {
        var type = Messages.Find(name);
        Gen.Int.Sample(seed =>
        {
            var message = Activator.CreateInstance(type)!;
            MessageFiller.Fill(message, version, new Random(seed), nulls: false);
            AssertRoundTrip(message, version);
        }, iter: 50);
    }

    [Theory]
    [MemberData(nameof(EveryMessageVersion))]
    public void NullsSurviveARoundTripWhereTheVersionAllowsThem(string name, short version)
    {
        var type = Messages.Find(name);
        var message = Activator.CreateInstance(type)!;
        MessageFiller.Fill(message, version, new Random(version), nulls: true);
        AssertRoundTrip(message, version);
    }

    [Theory]
    [MemberData(nameof(EveryMessageVersion))]
    public void ADefaultMessageSurvivesARoundTrip(string name, short version)
    {
        AssertRoundTrip(Activator.CreateInstance(Messages.Find(name))!, version);
    }

    [Fact]
    public void EveryApiHasARequestAndAResponse()
    {
        Assert.NotEmpty(Messages.All);
        foreach (var api in Orlog.Kafka.Protocol.ApiCatalog.Apis)
        {
            Assert.Contains(Messages.All, t => t.Name == api.Name + "Request");
            Assert.Contains(Messages.All, t => t.Name == api.Name + "Response");
        }
        Assert.Equal(Orlog.Kafka.Protocol.ApiCatalog.Apis.Count * 2, Messages.All.Count);
    }

    private static void AssertRoundTrip(object message, short version)
    {
        var (bytes, read, consumed) = Messages.RoundTrip(message, version);
        Assert.Equal(bytes.Length, consumed);
        MessageAssert.Equal(message, read);
        Assert.Equal(bytes, Messages.Write((Orlog.Kafka.Protocol.IKafkaWritable)read, version));
    }
}
