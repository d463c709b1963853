using System.Text;

namespace Orlog.Testing.Tests;

public sealed class SendValuesTests
{
    [Fact]
    public void ValueCarriesItsSendIdAndIsPaddedToSize()
    {
        var value = SendValues.Encode("producer-1/42", size: 100);

        Assert.Equal(100, value.Length);
        Assert.Equal("producer-1/42", SendValues.SendId(value));
    }

    [Fact]
    public void ValueIsNeverShorterThanItsSendId()
    {
        var value = SendValues.Encode("s-7");

        Assert.Equal("s-7|", Encoding.UTF8.GetString(value));
        Assert.Equal("s-7", SendValues.SendId(value));
    }

    [Fact]
    public void ValueWithoutASeparatorIsItsOwnSendId() =>
        Assert.Equal("foreign", SendValues.SendId("foreign"u8));
}
