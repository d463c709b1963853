namespace Orlog.Grains;

/// <summary>One partition's offset to commit, with an optional metadata string (at most 4096 characters).</summary>
[GenerateSerializer, Immutable, Alias("orlog.offset-to-commit")]
public sealed record OffsetToCommit(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] string? Metadata);

/// <summary>
/// OffsetCommit. <see cref="GenerationIdOrMemberEpoch"/> is the generation (classic) or the member epoch
/// (server-side); an admin commit has an empty member id and -1.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.offset-commit-request")]
public sealed record OffsetCommitRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] int GenerationIdOrMemberEpoch,
    [property: Id(2)] string? GroupInstanceId,
    [property: Id(3)] IReadOnlyList<OffsetToCommit> Offsets);

[GenerateSerializer, Immutable, Alias("orlog.offset-commit-result")]
public sealed record OffsetCommitResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] ErrorCode Error,
    [property: Id(3)] string? ErrorMessage);

/// <summary>OffsetFetch: <see cref="Partitions"/> null for every committed partition; a member id (optional) is checked against its epoch.</summary>
[GenerateSerializer, Immutable, Alias("orlog.offset-fetch-request")]
public sealed record OffsetFetchRequest(
    [property: Id(0)] string? MemberId,
    [property: Id(1)] int MemberEpoch,
    [property: Id(2)] IReadOnlyList<TopicPartition>? Partitions);

/// <summary>A committed offset: -1 with no metadata when the partition has none.</summary>
[GenerateSerializer, Immutable, Alias("orlog.committed-offset")]
public sealed record CommittedOffset(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] int LeaderEpoch,
    [property: Id(4)] string? Metadata,
    [property: Id(5)] long CommitTimestamp);

[GenerateSerializer, Immutable, Alias("orlog.offset-fetch-response")]
public sealed record OffsetFetchResponse(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] IReadOnlyList<CommittedOffset> Offsets);
