using System.Net;
using FastPath.Dns;

namespace FastPath.Reference.Dns;

/// <summary>
/// The request as a plugin sees it: <see cref="QName"/> as sent (fully qualified), <see cref="Name"/> lower-cased,
/// and <see cref="Zone"/>, the matched zone spelled as in the query.
/// </summary>
internal sealed record DnsRequest(string QName, DnsType QType, IPAddress? Client, string Zone = "")
{
    public string Name { get; } = QName.ToLowerInvariant();

    /// <summary>How many upstream (self) lookups led to this request: bounds CNAME chains through other zones.</summary>
    public int Depth { get; init; }

    public DnsRequest WithQuestion(string qname, DnsType qtype) => new(DnsNaming.Fqdn(qname), qtype, Client, Zone) { Depth = Depth };
}
