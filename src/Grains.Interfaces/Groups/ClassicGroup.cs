namespace Orlog.Grains;

/// <summary>One protocol a classic member supports (for "consumer": an assignor name and its subscription bytes).</summary>
[GenerateSerializer, Immutable, Alias("orlog.group-protocol")]
public sealed record GroupProtocol([property: Id(0)] string Name, [property: Id(1)] byte[] Metadata);

/// <summary>Classic JoinGroup (v9 semantics: an empty member id gets MEMBER_ID_REQUIRED with the id to use).</summary>
[GenerateSerializer, Immutable, Alias("orlog.join-group-request")]
public sealed record JoinGroupRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] int SessionTimeoutMs,
    [property: Id(3)] int RebalanceTimeoutMs,
    [property: Id(4)] string ProtocolType,
    [property: Id(5)] IReadOnlyList<GroupProtocol> Protocols,
    [property: Id(6)] string ClientId,
    [property: Id(7)] string ClientHost,
    [property: Id(8)] string? Reason);

/// <summary>A member as the leader sees it in the JoinGroup response.</summary>
[GenerateSerializer, Immutable, Alias("orlog.join-group-member")]
public sealed record JoinGroupMember(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] byte[] Metadata);

/// <summary>Classic JoinGroup response: <see cref="Members"/> is filled for the leader only.</summary>
[GenerateSerializer, Immutable, Alias("orlog.join-group-response")]
public sealed record JoinGroupResponse(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] int GenerationId,
    [property: Id(3)] string? ProtocolType,
    [property: Id(4)] string? ProtocolName,
    [property: Id(5)] string Leader,
    [property: Id(6)] bool SkipAssignment,
    [property: Id(7)] string MemberId,
    [property: Id(8)] IReadOnlyList<JoinGroupMember> Members);

/// <summary>One member's assignment bytes, sent by the leader.</summary>
[GenerateSerializer, Immutable, Alias("orlog.sync-group-assignment")]
public sealed record SyncGroupAssignment([property: Id(0)] string MemberId, [property: Id(1)] byte[] Assignment);

/// <summary>Classic SyncGroup: every member sends it; the leader's carries the assignments.</summary>
[GenerateSerializer, Immutable, Alias("orlog.sync-group-request")]
public sealed record SyncGroupRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] int GenerationId,
    [property: Id(2)] string? GroupInstanceId,
    [property: Id(3)] string? ProtocolType,
    [property: Id(4)] string? ProtocolName,
    [property: Id(5)] IReadOnlyList<SyncGroupAssignment> Assignments);

[GenerateSerializer, Immutable, Alias("orlog.sync-group-response")]
public sealed record SyncGroupResponse(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] string? ProtocolType,
    [property: Id(3)] string? ProtocolName,
    [property: Id(4)] byte[] Assignment);

/// <summary>A member leaving (classic LeaveGroup v3+): by member id, or by instance id with an empty member id.</summary>
[GenerateSerializer, Immutable, Alias("orlog.leaving-member")]
public sealed record LeavingMember([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId, [property: Id(2)] string? Reason);

[GenerateSerializer, Immutable, Alias("orlog.leave-group-result")]
public sealed record LeaveGroupResult([property: Id(0)] string MemberId, [property: Id(1)] string? GroupInstanceId, [property: Id(2)] ErrorCode Error);
