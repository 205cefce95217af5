using System;
using System.IO;
using System.Linq;
using System.Net;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Reference.Dns;
using FastPath.Resolving;

namespace FastPath.Cli.Commands;

/// <summary>
/// <c>fastpath lookup NAME --pod NS/NAME</c>: resolves a name as that pod's glibc resolver would, through the
/// kubelet's resolv.conf for it, each query answered in-process (no packet sent).
/// </summary>
internal static class LookupCommand
{
    public const string Usage = "fastpath lookup NAME --pod NS/NAME [--type A] [--explain] [--engine snapshot|reference] [--cluster-dns IP]... [--cluster-domain D] [--resolv-conf FILE] [--manifests DIR]...";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expected one NAME");
        var name = args.Positionals[0];
        var typeText = args.Option("--type") ?? "A";
        if (!DnsNaming.TryParseType(typeText, out var type)) throw new UsageException($"unknown record type '{typeText}'");
        bool explain = args.Flag("--explain");
        var engine = args.Option("--engine") ?? "snapshot";
        if (engine is not ("snapshot" or "reference")) throw new UsageException($"--engine must be snapshot or reference, not '{engine}'");
        var request = KubeletDnsArgs.Read(args);
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;
        var (pod, conf) = KubeletDnsArgs.Form(cluster, request, err);
        if (conf is null) return 1;

        Func<DnsQuery, DnsResult> ask = engine == "reference"
            ? new ReferenceResolver(cluster).Resolve
            : ClusterSnapshot.Build(cluster).Dns.Resolve;
        var client = pod.PodIPs.Count > 0 ? IPAddress.Parse(pod.PodIPs[0]) : null;
        var result = new StubResolver(conf, ask).Lookup(name, type, client);

        @out.WriteLine($";; {name} {DnsNaming.TypeText(type)} from pod {request.Pod}: search {(conf.Searches.Count == 0 ? "(none)" : string.Join(" ", conf.Searches))}; ndots:{conf.Ndots}");
        if (explain)
            foreach (var step in result.Steps) @out.WriteLine($"try {step.Name} {step.OutcomeText}");
        switch (result.Status)
        {
            case LookupStatus.Answered:
                foreach (var record in result.Final!.Result.Response.Answer) @out.WriteLine(record.ToString());
                break;
            case LookupStatus.Forwarded:
                @out.WriteLine($";; FORWARD: {result.Final!.Name} leaves the cluster: its DNS forwards it to {string.Join(" ", result.Final.Result.Upstreams)}; the pod gets that server's answer");
                break;
            default:
                @out.WriteLine($";; {StatusText(result.Status)}: no answer for {name} on any name tried");
                break;
        }
        if (explain)
        {
            var nameserver = conf.Nameservers.Count > 0 ? conf.Nameservers[0] : "(no nameserver)";
            @out.WriteLine($";; queries: {result.Queries} from the pod's resolver to {nameserver} " +
                $"({result.Queries * 2} when getaddrinfo asks A and AAAA); FastPath in-process: 0");
        }
        return 0;
    }

    private static string StatusText(LookupStatus s) => s switch
    {
        LookupStatus.NxDomain => "NXDOMAIN",
        LookupStatus.NoData => "NODATA",
        LookupStatus.ServFail => "SERVFAIL",
        _ => "NO_RECOVERY",
    };
}
