namespace Orlog.Client.Tests;

/// <summary>The group settings and how a subscription is sent; no cluster needed.</summary>
public sealed class GroupSettingsTests
{
    [Fact]
    public void GroupSettingsHaveKafkasDefaults()
    {
        var config = new ConsumerConfig();
        Assert.Equal((null, null, 45_000, 300_000, true, 5_000, true, null),
            (config.GroupId, config.GroupInstanceId, config.SessionTimeoutMs, config.MaxPollIntervalMs, config.EnableAutoCommit, config.AutoCommitIntervalMs,
            config.EnableAutoOffsetStore, config.GroupRemoteAssignor));
    }

    [Fact]
    public void GroupSettingsTakeKafkasNames()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>
        {
            ["group.instance.id"] = "node-1",
            ["max.poll.interval.ms"] = "60000",
            ["enable.auto.offset.store"] = "false",
            ["group.remote.assignor"] = "range",
        });
        Assert.Equal(("node-1", 60_000, false, "range"), (config.GroupInstanceId, config.MaxPollIntervalMs, config.EnableAutoOffsetStore, config.GroupRemoteAssignor));
        Assert.Contains("group.remote.assignor", Assert.Throws<ConfigException>(() => config.Set("group.remote.assignor", "sticky")).Message);
        Assert.Throws<ConfigException>(() => config.Set("max.poll.interval.ms", "0"));
        // Another client's setting is kept and ignored (with a note when the client starts), as Kafka's clients do.
        var producer = new ProducerConfig();
        producer.Set("group.instance.id", "x");
        Assert.Contains(producer.Notes(SettingScope.Producer), n => n.Contains("group.instance.id", StringComparison.Ordinal));
    }

    [Fact]
    public void NamesAreSentAsNames()
    {
        var subscription = TopicSubscription.Parse(["orders", "payments", "orders"]);
        Assert.Equal(["orders", "payments"], subscription.Names);
        Assert.Null(subscription.Regex);
    }

    [Fact]
    public void ACaretMakesARegularExpressionThatTakesTheNamesAlong()
    {
        var alone = TopicSubscription.Parse(["^orders-.*"]);
        Assert.Equal(("^orders-.*", 0), (alone.Regex, alone.Names.Count));
        var mixed = TopicSubscription.Parse(["^orders-.*", "pay.ments"]);
        Assert.Equal(@"(?:^orders-.*)|(?:^pay\.ments$)", mixed.Regex);
        Assert.Equal(["^orders-.*", "pay.ments"], mixed.Given);
    }

    [Theory]
    [InlineData("^(")]
    [InlineData("")]
    public void ABadSubscriptionIsRefused(string topic) =>
        Assert.Throws<ArgumentException>(() => TopicSubscription.Parse([topic]));
}
