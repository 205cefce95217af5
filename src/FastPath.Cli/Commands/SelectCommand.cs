using System;
using System.Globalization;
using System.IO;
using System.Net;
using FastPath.Model.Net;
using FastPath.Reference.DataPlane;
using FastPath.Runtime;

namespace FastPath.Cli.Commands;

/// <summary>
/// <c>fastpath select</c>: the endpoint chosen for K successive connections from one client, with the clock moved
/// between them, so that affinity and its expiry can be seen.
/// </summary>
internal static class SelectCommand
{
    public const string Usage = "fastpath select NS/NAME --client IP [--port NAME|NUMBER] [--node NODE] [--external] [--count K] [--advance SECONDS] [--manifests DIR]...";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expected NAMESPACE/NAME");
        var clientText = args.Option("--client") ?? throw new UsageException("--client IP is required");
        if (!IpText.TryParse(clientText, out IPAddress client)) throw new UsageException($"--client '{clientText}' is not an IP address");
        var portText = args.Option("--port");
        var node = args.Option("--node");
        bool external = args.Flag("--external");
        int count = args.IntOption("--count") ?? 1;
        var advanceText = args.Option("--advance");
        double advance = 0;
        if (advanceText is not null && (!double.TryParse(advanceText, NumberStyles.Float, CultureInfo.InvariantCulture, out advance) || advance < 0))
            throw new UsageException($"--advance must be a number of seconds, not '{advanceText}'");
        if (count < 1) throw new UsageException("--count must be at least 1");
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;
        var (svc, port) = ServiceArgs.Resolve(cluster, args.Positionals[0], portText);

        var clock = new ManualClock();
        var plane = new ReferenceDataPlane(cluster, clock);
        var source = new TrafficSource(node, external);
        @out.WriteLine($"# {svc.Meta.Key} port {port.Port}/{port.Protocol}, client {client}, {(external ? "external" : "internal")} via {node ?? "(no node)"}, " +
            $"scheduler {Model.ServiceAnnotations.SchedulerOf(svc)}, affinity {svc.SessionAffinity}" +
            (svc.SessionAffinity == Model.SessionAffinity.ClientIP ? $" ({svc.AffinityTimeoutSeconds}s)" : ""));
        for (int i = 1; i <= count; i++)
        {
            if (i > 1 && advance > 0) clock.Advance(TimeSpan.FromSeconds(advance));
            var t = (clock.GetUtcNow() - new ManualClock().GetUtcNow()).TotalSeconds;
            var choice = plane.Connect(svc, port, source, client);
            string what = choice.Endpoint is null
                ? choice.Decision.Action.ToString().ToLowerInvariant() + " (" + choice.Decision.Reason + ")"
                : choice.Endpoint + (choice.Sticky ? " (affinity)" : "");
            @out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i}\tt={t}s\t{what}"));
        }
        return 0;
    }
}
