using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using FastPath.Dns;
using FastPath.Model;
using FastPath.Model.Corefile;
using FastPath.Model.Net;

namespace FastPath.Reference.Dns;

/// <summary>Options a DNS answer depends on beyond the cluster: the server's own addresses and port.</summary>
public sealed record ReferenceDnsOptions
{
    /// <summary>The addresses the DNS server is bound to (CoreDNS's pod IPs): apex NS and ns.dns answer from them.</summary>
    public IReadOnlyList<IPAddress>? DnsIPs { get; init; }
    /// <summary>The port the query arrived on, to choose among server blocks; null: any.</summary>
    public int? Port { get; init; }
}

/// <summary>
/// The reference DNS interpreter: what CoreDNS answers for a cluster, computed from the model at query time with
/// plain code. Every compiled resolver is held against it. Plugins run in CoreDNS's order (plugin.cfg):
/// loadbalance, rewrite, autopath, hosts, kubernetes, forward.
/// </summary>
public sealed class ReferenceResolver
{
    private readonly Cluster _cluster;
    private readonly ReferenceDnsOptions _options;
    private readonly Dictionary<ServerBlock, Chain> _chains = new();
    private long _queries = -1;

    public ReferenceResolver(Cluster cluster, ReferenceDnsOptions? options = null)
    {
        _cluster = cluster;
        _options = options ?? new ReferenceDnsOptions();
        var localIPs = _options.DnsIPs ?? ServerAddresses.Default(cluster); // without --dns-ip: kube-dns's ready endpoints
        foreach (var block in cluster.Corefile.ServerBlocks)
            _chains[block] = new Chain(this, block, localIPs);
    }

    public DnsResult Resolve(DnsQuery query)
    {
        var result = Serve(query, depth: 0);
        var chainBlock = _cluster.Corefile.BlockFor(DnsNaming.Fqdn(query.Name).ToLowerInvariant(), _options.Port);
        if (chainBlock?.Plugins.LoadBalance is not null && result.Outcome == DnsOutcome.Answered)
            LoadBalance.Apply(result.Response, (ulong)Interlocked.Increment(ref _queries));
        return result;
    }

    private DnsResult Serve(DnsQuery query, int depth)
    {
        var name = DnsNaming.Fqdn(query.Name);
        var block = _cluster.Corefile.BlockFor(name.ToLowerInvariant(), _options.Port);
        if (block is null) return DnsResult.Answer(KubernetesPlugin.Reply(query, Rcode.Refused, authoritative: false));
        return _chains[block].Serve(query, depth);
    }

    /// <summary>The plugins of one server block.</summary>
    private sealed class Chain
    {
        private readonly ReferenceResolver _owner;
        private readonly ServerBlock _block;
        private readonly KubernetesPlugin? _kubernetes;
        private readonly HostsPlugin? _hosts;
        private readonly RewritePlugin? _rewrite;
        private readonly AutopathPlugin? _autopath;

        public Chain(ReferenceResolver owner, ServerBlock block, IReadOnlyList<IPAddress> localIPs)
        {
            _owner = owner;
            _block = block;
            var p = block.Plugins;
            if (p.Kubernetes is not null) _kubernetes = new KubernetesPlugin(owner._cluster, p.Kubernetes, localIPs, Upstream);
            if (p.Hosts is not null) _hosts = new HostsPlugin(p.Hosts);
            if (p.Rewrite is not null) _rewrite = new RewritePlugin(p.Rewrite);
            if (p.Autopath is not null) _autopath = new AutopathPlugin(p.Autopath, p.Kubernetes, owner._cluster);
        }

        /// <summary>
        /// plugin/pkg/upstream: a CNAME target outside the zone is asked of the server itself. The depth travels with
        /// the request (not in a field), so queries answered at once on several threads do not share it.
        /// </summary>
        private DnsMessage? Upstream(string name, DnsType type, int depth)
        {
            if (depth > 8) return null;
            var r = _owner.Serve(new DnsQuery(name, type), depth + 1);
            // The reference does not send packets: a forwarded name counts as an empty reply, which keeps the CNAME.
            return r.Outcome == DnsOutcome.Forward ? KubernetesPlugin.Reply(new DnsQuery(name, type), Rcode.NoError, false) : r.Response;
        }

        public DnsResult Serve(DnsQuery query, int depth)
        {
            var original = DnsNaming.Fqdn(query.Name);
            var q = query with { Name = original };
            List<Model.Corefile.Plugins.RewriteRule> applied = [];
            string rewritten = original;
            if (_rewrite is not null)
            {
                (rewritten, applied) = _rewrite.Rewrite(original.ToLowerInvariant());
                if (applied.Count > 0) q = q with { Name = rewritten };
                else rewritten = original;
            }

            var result = Autopath(q, depth) ?? Next(q, depth);
            var m = result.Response;
            if (applied.Count > 0)
            {
                RewritePlugin.RewriteResponse(m, rewritten, original, applied);
                m.Question = m.Question with { Name = original };
            }
            return result;
        }

        private DnsResult? Autopath(DnsQuery q, int depth)
        {
            var search = _autopath?.SearchPath(q.Name.ToLowerInvariant(), q.Client);
            if (search is null) return null;
            var bas = AutopathPlugin.Base(q.Name, search[0]);
            DnsResult? first = null;
            foreach (var s in search)
            {
                var tryName = s.Length == 0 ? bas + "." : bas + "." + s;
                var r = Next(q with { Name = tryName }, depth);
                first ??= r;
                if (r.Outcome == DnsOutcome.Forward) return r with { Response = WithQuestion(r.Response, q.Name) };
                if (r.Response.Rcode == Rcode.NXDomain) continue;
                AutopathPlugin.Cnamer(r.Response, q.Name);
                return r;
            }
            return first! with { Response = WithQuestion(first.Response, q.Name) };
        }

        private static DnsMessage WithQuestion(DnsMessage m, string name)
        {
            m.Question = m.Question with { Name = name };
            return m;
        }

        private DnsResult Next(DnsQuery q, int depth)
        {
            var state = new DnsRequest(q.Name, q.Type, q.Client) { Depth = depth };
            if (_hosts?.Serve(q, state) is { } fromHosts) return DnsResult.Answer(fromHosts);
            if (_kubernetes?.Serve(q, state) is { } fromKubernetes) return DnsResult.Answer(fromKubernetes);
            var fwd = _block.Plugins.Forward;
            if (fwd is not null && ZoneName.IsSubdomain(fwd.From, state.Name) && !fwd.Except.Any(z => ZoneName.IsSubdomain(z, state.Name)))
            {
                var pending = KubernetesPlugin.Reply(q, Rcode.ServFail, authoritative: false);
                return new DnsResult(pending, DnsOutcome.Forward, fwd.To);
            }
            // No plugin left to answer (plugin.NextOrFailure).
            return DnsResult.Answer(KubernetesPlugin.Reply(q, Rcode.ServFail, authoritative: false));
        }
    }
}
