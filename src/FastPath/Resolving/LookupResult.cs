using System.Collections.Generic;
using FastPath.Dns;

namespace FastPath.Resolving;

/// <summary>How one query of the walk ended, in glibc's terms (res_query's h_errno).</summary>
public enum StepOutcome
{
    /// <summary>NOERROR with at least one answer record: the walk ends here.</summary>
    Answer,
    /// <summary>NXDOMAIN (HOST_NOT_FOUND): the walk moves on.</summary>
    NxDomain,
    /// <summary>NOERROR with no answer (NO_DATA): the walk moves on, and remembers it.</summary>
    NoData,
    /// <summary>SERVFAIL (TRY_AGAIN): the walk moves on.</summary>
    ServFail,
    /// <summary>FORMERR, NOTIMP, REFUSED (NO_RECOVERY): the search stops; the name as is may still be asked.</summary>
    Failed,
    /// <summary>The cluster's DNS forwards the name to its upstream; FastPath does not know that server's answer.</summary>
    Forwarded,
}

/// <summary>One name the pod's resolver asks, and what came back.</summary>
public sealed record LookupStep(string Name, StepOutcome Outcome, DnsResult Result)
{
    /// <summary>The rcode as dig prints it, or NODATA / FORWARD.</summary>
    public string OutcomeText => Outcome switch
    {
        StepOutcome.NoData => "NODATA",
        StepOutcome.Forwarded => "FORWARD",
        _ => DnsNaming.RcodeText(Result.Response.Rcode),
    };
}

/// <summary>What the pod's getaddrinfo/res_search ends with.</summary>
public enum LookupStatus
{
    Answered,
    /// <summary>HOST_NOT_FOUND.</summary>
    NxDomain,
    /// <summary>NO_DATA: the name exists somewhere on the walk, without records of the type.</summary>
    NoData,
    /// <summary>TRY_AGAIN after SERVFAIL.</summary>
    ServFail,
    /// <summary>NO_RECOVERY.</summary>
    Failed,
    /// <summary>The walk reached a name the cluster's DNS forwards; the pod's answer is the upstream's.</summary>
    Forwarded,
}

/// <summary>
/// The result of resolving one name as a pod does: every query in order, the final status, and the answering
/// response (for <see cref="LookupStatus.Answered"/>) or the forwarding one (for <see cref="LookupStatus.Forwarded"/>).
/// </summary>
public sealed record LookupResult(string Name, DnsType Type, IReadOnlyList<LookupStep> Steps, LookupStatus Status, LookupStep? Final)
{
    /// <summary>Queries the pod's resolver sends to its nameserver for this one lookup (one type).</summary>
    public int Queries => Steps.Count;
}
