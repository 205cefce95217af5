using System;
using System.Collections.Generic;
using FastPath.Dns;
using FastPath.Model.Kubelet;

namespace FastPath.Resolving;

/// <summary>
/// glibc's search walk (resolv/res_query.c, __res_context_search) over a pod's resolv.conf, each query answered
/// in-process by a FastPath engine: the same names in the same order, the same stopping rules, the same final status.
/// </summary>
public sealed class StubResolver
{
    private readonly ResolvConf _conf;
    private readonly Func<DnsQuery, DnsResult> _ask;
    private readonly bool _noTldQuery;

    /// <param name="conf">The pod's resolv.conf (ndots, no-tld-query and the search list are read from it).</param>
    /// <param name="ask">Answers one query: <c>snapshot.Dns.Resolve</c> or a reference resolver's <c>Resolve</c>.</param>
    public StubResolver(ResolvConf conf, Func<DnsQuery, DnsResult> ask)
    {
        _conf = conf ?? throw new ArgumentNullException(nameof(conf));
        _ask = ask ?? throw new ArgumentNullException(nameof(ask));
        _noTldQuery = conf.Option("no-tld-query") is not null;
    }

    public ResolvConf ResolvConf => _conf;

    public LookupResult Lookup(string name, DnsType type = DnsType.A, System.Net.IPAddress? client = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var steps = new List<LookupStep>();
        int dots = 0;
        foreach (char c in name) if (c == '.') dots++;
        bool trailingDot = name.EndsWith('.');

        LookupStep Ask(string fqdn)
        {
            var result = _ask(new DnsQuery(DnsNaming.Fqdn(fqdn), type, client));
            var step = new LookupStep(DnsNaming.Fqdn(fqdn), Classify(result), result);
            steps.Add(step);
            return step;
        }
        LookupResult Done(LookupStatus status, LookupStep? final) => new(name, type, steps, status, final);

        // Enough dots (or a trailing dot): the name as is first; with a trailing dot, only that.
        LookupStep? asIs = null;
        if (dots >= _conf.Ndots || trailingDot)
        {
            asIs = Ask(name);
            if (asIs.Outcome == StepOutcome.Answer) return Done(LookupStatus.Answered, asIs);
            if (asIs.Outcome == StepOutcome.Forwarded) return Done(LookupStatus.Forwarded, asIs);
            if (trailingDot) return Done(StatusOf(asIs.Outcome), null);
        }

        bool searched = false, rootOnList = false, gotNoData = false, gotServFail = false;
        LookupStep? last = asIs;
        if (!trailingDot)
        {
            foreach (var search in _conf.Searches)
            {
                searched = true;
                // "." (or "") in the search list is the root: name + "." — and then the name as is is not asked again.
                var domain = search.StartsWith('.') ? search.Substring(1) : search;
                if (domain.Length == 0) rootOnList = true;
                var step = Ask(name + "." + domain);
                last = step;
                if (step.Outcome == StepOutcome.Answer) return Done(LookupStatus.Answered, step);
                if (step.Outcome == StepOutcome.Forwarded) return Done(LookupStatus.Forwarded, step);
                if (step.Outcome == StepOutcome.NoData) gotNoData = true;
                else if (step.Outcome == StepOutcome.ServFail) gotServFail = true;
                else if (step.Outcome == StepOutcome.Failed) break; // any other error ends the search
            }
        }

        // The name as is, if not asked yet (with no-tld-query, not for a single label that was searched).
        if ((dots > 0 || !searched || !_noTldQuery) && asIs is null && !rootOnList)
        {
            var step = Ask(name);
            last = step;
            if (step.Outcome == StepOutcome.Answer) return Done(LookupStatus.Answered, step);
            if (step.Outcome == StepOutcome.Forwarded) return Done(LookupStatus.Forwarded, step);
        }

        // Nothing answered: the first as-is query's error if there was one, else NODATA if any search step saw it,
        // else SERVFAIL if one saw that, else the last query's own error.
        if (asIs is not null) return Done(StatusOf(asIs.Outcome), null);
        if (gotNoData) return Done(LookupStatus.NoData, null);
        if (gotServFail) return Done(LookupStatus.ServFail, null);
        return Done(last is null ? LookupStatus.NxDomain : StatusOf(last.Outcome), null);
    }

    /// <summary>res_query's reading of a response: an answer needs NOERROR and a non-empty answer section.</summary>
    public static StepOutcome Classify(DnsResult result)
    {
        if (result.Outcome == DnsOutcome.Forward) return StepOutcome.Forwarded;
        var m = result.Response;
        return m.Rcode switch
        {
            Rcode.NoError => m.Answer.Count > 0 ? StepOutcome.Answer : StepOutcome.NoData,
            Rcode.NXDomain => StepOutcome.NxDomain,
            Rcode.ServFail => StepOutcome.ServFail,
            _ => StepOutcome.Failed,
        };
    }

    private static LookupStatus StatusOf(StepOutcome o) => o switch
    {
        StepOutcome.Answer => LookupStatus.Answered,
        StepOutcome.NxDomain => LookupStatus.NxDomain,
        StepOutcome.NoData => LookupStatus.NoData,
        StepOutcome.ServFail => LookupStatus.ServFail,
        StepOutcome.Forwarded => LookupStatus.Forwarded,
        _ => LookupStatus.Failed,
    };
}
