using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Orlog.Testing.Tests;

public sealed class JsonLinesTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"orlog-history-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void EveryEventSurvivesARoundTripWithItsTime()
    {
        var history = EveryKindOfEvent();

        HistoryWriter.WriteJsonLines(history, _path);
        var read = HistoryReader.ReadJsonLines(_path);

        Assert.Equal(history.Events, read.Events);
    }

    [Fact]
    public void EachLineIsOneEventNamingItsType()
    {
        HistoryWriter.WriteJsonLines(EveryKindOfEvent(), _path);

        var types = File.ReadAllLines(_path).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("type").GetString());

        Assert.Equal(
            ["sendStarted", "sendAcknowledged", "sendRefused", "sendUnknown", "assigned", "polled", "seeked", "revoked", "finalRead"],
            types);
    }

    [Fact]
    public void HistoryReadBackChecksTheSame()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "x", key: null, partition: 1);
        history.SendAcknowledged("x", partition: 1, offset: 20);

        HistoryWriter.WriteJsonLines(history, _path);

        Assert.Equal(HistoryChecker.Check(history).ToTable(), HistoryChecker.Check(HistoryReader.ReadJsonLines(_path)).ToTable());
    }

    private static History EveryKindOfEvent()
    {
        var time = new FakeTimeProvider();
        var history = new History(time);
        void Next() => time.Advance(TimeSpan.FromMilliseconds(1.5));
        history.SendStarted("producer-1", "s1", key: "k", partition: 0);
        Next();
        history.SendAcknowledged("s1", partition: 0, offset: 41);
        Next();
        history.SendRefused("s2", "NOT_LEADER_OR_FOLLOWER");
        Next();
        history.SendUnknown("s3", "NOT_ENOUGH_REPLICAS_AFTER_APPEND");
        Next();
        history.Assigned("member-1", partition: 0, generation: 4);
        Next();
        history.Polled("member-1", generation: 4, partition: 0, offset: 41, "s1");
        Next();
        history.Seeked("member-1", partition: 0, generation: 4, offset: 40);
        Next();
        history.Revoked("member-1", partition: 0, generation: 4);
        Next();
        history.FinalRead(partition: 0, offset: 41, "s1");
        return history;
    }
}
