using System.Net;
using FastPath.Dns;
using FastPath.Model.Net;

namespace FastPath.Reference.Dns;

/// <summary>
/// One thing a name resolves to, as CoreDNS's msg.Service carries it: a host (IP or name), a port, a TTL,
/// and the DNS name the entry lives at (its <see cref="Target"/>, used for SRV targets and PTR/NS names).
/// </summary>
internal sealed record Backend(string Host, int Port, uint Ttl, string Target, string? Text = null)
{
    /// <summary>A, AAAA, TXT or, for a host that is not an IP, CNAME (msg.Service.HostType).</summary>
    public DnsType HostType(out IPAddress? ip)
    {
        ip = null;
        if (Text is not null) return DnsType.TXT;
        if (IpText.TryParse(Host, out var a)) { ip = a; return a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsType.AAAA : DnsType.A; }
        return DnsType.CNAME;
    }
}
