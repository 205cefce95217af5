using FastPath.Model.Loading;
using FastPath.Model.Net;
using Xunit;

namespace FastPath.Tests.Loading;

/// <summary>
/// The allocation-free IPv4 check an endpoint's address takes first must accept exactly what IpText accepts, with the
/// same bytes, and call ordinary exactly the addresses ValidateNonSpecialIP has no message for.
/// </summary>
public sealed class Ipv4QuadTests
{
    [Theory]
    [InlineData("10.128.3.45")] [InlineData("0.0.0.0")] [InlineData("255.255.255.255")] [InlineData("127.0.0.1")]
    [InlineData("169.254.1.1")] [InlineData("169.253.1.1")] [InlineData("224.0.0.9")] [InlineData("224.0.1.9")]
    [InlineData("10.1.0.01")] [InlineData("256.1.1.1")] [InlineData("1.2.3")] [InlineData("1.2.3.4.5")] [InlineData("1.2.3.")]
    [InlineData(".1.2.3")] [InlineData("1..2.3")] [InlineData("1.2.3.4 ")] [InlineData("1.2.3.1000")] [InlineData("01.2.3.4")]
    [InlineData("1.2.3.-4")] [InlineData("::1")] [InlineData("10.0.0.0a")] [InlineData("")] [InlineData("1.2.3.４")]
    public void Agrees_with_IpText_and_the_special_address_rules(string text)
    {
        bool general = IpText.TryParse(text, out var ip);
        bool quad = Ipv4Quad.TryParse(text, out var b0, out var b1, out var b2, out var b3);
        if (text.Contains(':')) Assert.False(quad);
        else Assert.Equal(general, quad);
        if (!quad) return;
        Assert.Equal(ip.GetAddressBytes(), new[] { b0, b1, b2, b3 });
        Assert.Equal(ApiRules.NonSpecialIp(text).Count == 0, Ipv4Quad.IsOrdinary(b0, b1, b2, b3));
    }
}
