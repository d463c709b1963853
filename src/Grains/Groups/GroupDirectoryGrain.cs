namespace Orlog.Grains.Groups;

/// <summary>The ids of every group that exists, persisted; listing asks each group for its type and state.</summary>
public sealed class GroupDirectoryGrain : Grain, IGroupDirectoryGrain
{
    private readonly IPersistentState<GroupDirectoryState> _state;

    public GroupDirectoryGrain([PersistentState("group-directory")] IPersistentState<GroupDirectoryState> state)
    {
        _state = state;
    }

    public async Task Add(string groupId)
    {
        if (_state.State.Groups.Add(groupId))
        {
            await _state.WriteStateAsync();
        }
    }

    public async Task Remove(string groupId)
    {
        if (_state.State.Groups.Remove(groupId))
        {
            await _state.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<GroupListing>> List()
    {
        var groups = _state.State.Groups.Order(StringComparer.Ordinal).ToList();
        var descriptions = await Task.WhenAll(groups.Select(id => GrainFactory.GetGrain<IConsumerGroupGrain>(id).Describe()));
        var listings = new List<GroupListing>(descriptions.Length);
        foreach (var description in descriptions)
        {
            if (description.State != GroupStates.Dead)
            {
                listings.Add(new GroupListing(description.GroupId, description.ProtocolType, description.State, description.Dialect));
            }
        }
        return listings;
    }
}

/// <summary>The group directory's persisted state: the ids of the groups that exist. Versioned by <see cref="Version"/>.</summary>
[GenerateSerializer, Alias("orlog.group-directory-state")]
public sealed class GroupDirectoryState
{
    [Id(0)]
    public int Version { get; set; } = 1;

    [Id(1)]
    public HashSet<string> Groups { get; set; } = new(StringComparer.Ordinal);
}
