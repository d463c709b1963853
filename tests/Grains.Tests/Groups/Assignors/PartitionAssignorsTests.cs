using Orlog.Grains.Groups.Assignors;

namespace Orlog.Grains.Tests.Groups.Assignors;

public sealed class PartitionAssignorsTests
{
    [Fact]
    public void AssignorsAreFoundByTheirKafkaNames()
    {
        Assert.Equal(["uniform", "range"], PartitionAssignors.Names);
        Assert.Equal("uniform", PartitionAssignors.DefaultName);
        Assert.Same(PartitionAssignors.Uniform, PartitionAssignors.Find("uniform"));
        Assert.Same(PartitionAssignors.Range, PartitionAssignors.Find("range"));
        Assert.All(PartitionAssignors.Names, name => Assert.Equal(name, PartitionAssignors.Find(name)!.Name));
        Assert.Null(PartitionAssignors.Find("roundrobin"));
        Assert.Null(PartitionAssignors.Find(""));
    }
}
