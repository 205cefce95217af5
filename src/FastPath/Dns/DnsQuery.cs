using System.Collections.Generic;
using System.Net;

namespace FastPath.Dns;

/// <summary>A question as a DNS client asks it, with the client's address (autopath and pod lookups need it).</summary>
public sealed record DnsQuery(string Name, DnsType Type, IPAddress? Client = null, ushort Id = 0, bool RecursionDesired = true,
    DnsClass Class = DnsClass.IN);

/// <summary>What the server does with a query.</summary>
public enum DnsOutcome
{
    /// <summary>The response is complete.</summary>
    Answered,
    /// <summary>The forward plugin sends the query to <see cref="DnsResult.Upstreams"/>; the server does that (and caches).</summary>
    Forward,
}

public sealed record DnsResult(DnsMessage Response, DnsOutcome Outcome, IReadOnlyList<string> Upstreams)
{
    public static DnsResult Answer(DnsMessage m) => new(m, DnsOutcome.Answered, []);
}
