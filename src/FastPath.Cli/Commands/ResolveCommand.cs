using System.IO;
using System.Linq;
using System.Net;
using FastPath.Dns;
using FastPath.Live;
using FastPath.Model.Net;
using FastPath.Reference.Dns;

namespace FastPath.Cli.Commands;

/// <summary><c>fastpath resolve NAME [TYPE]</c>: one DNS answer, printed in dig's layout.</summary>
internal static class ResolveCommand
{
    public const string Usage = "fastpath resolve NAME [TYPE] [--client IP] [--dns-ip IP]... [--manifests DIR]... [--corefile FILE] [--service-cidr CIDR] [--engine compiled|snapshot|reference]";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count is < 1 or > 2) throw new UsageException("expected NAME and an optional TYPE");
        var name = args.Positionals[0];
        var typeText = args.Positionals.Count > 1 ? args.Positionals[1] : "A";
        if (!DnsNaming.TryParseType(typeText, out var type)) throw new UsageException($"unknown record type '{typeText}'");
        var client = ParseIp(args.Option("--client"), "--client");
        var dnsIps = args.IpOptions("--dns-ip");
        var engine = Engines.Parse(args.Option("--engine"));
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;

        var query = new DnsQuery(name, type, client);
        DnsResult result;
        if (engine == "reference")
            result = new ReferenceResolver(cluster, new ReferenceDnsOptions { DnsIPs = dnsIps.Count > 0 ? dnsIps : null }).Resolve(query);
        else if (engine == "snapshot")
            result = ClusterSnapshot.Build(cluster, dnsIps.Count > 0 ? dnsIps : null).Dns.Resolve(query);
        else
        {
            using var compiled = Engines.Compile(cluster, dnsIps.Count > 0 ? dnsIps : null);
            result = compiled.Dns.Resolve(query);
        }
        DigFormatter.Write(result.Response, @out, $"; <<>> fastpath resolve ({engine}) <<>> {name} {DnsNaming.TypeText(type)}");
        if (result.Outcome == DnsOutcome.Forward)
            @out.WriteLine($";; FORWARD: the forward plugin sends this query to {string.Join(" ", result.Upstreams)} (fastpath serve does; resolve does not)");
        return 0;
    }

    private static IPAddress? ParseIp(string? text, string option)
    {
        if (text is null) return null;
        if (!IpText.TryParse(text, out var ip)) throw new UsageException($"{option} '{text}' is not an IP address");
        return ip;
    }
}
