using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Model;
using FastPath.Model.Kubelet;

namespace FastPath.Cli.Commands;

/// <summary><c>fastpath resolvconf --pod NS/NAME</c>: the /etc/resolv.conf the kubelet writes for a pod, exactly.</summary>
internal static class ResolvConfCommand
{
    public const string Usage = "fastpath resolvconf --pod NS/NAME [--cluster-dns IP]... [--cluster-domain D] [--resolv-conf FILE] [--manifests DIR]...";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count != 0) throw new UsageException("takes no positional arguments");
        var request = KubeletDnsArgs.Read(args);
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;
        var (_, formed) = KubeletDnsArgs.Form(cluster, request, err);
        if (formed is null) return 1;
        @out.Write(formed.ToString());
        return 0;
    }
}

/// <summary>The kubelet flags <c>resolvconf</c> and <c>lookup</c> share, and the pod they ask about.</summary>
internal static class KubeletDnsArgs
{
    public const string DefaultHostFile = "/etc/resolv.conf";

    public sealed record Request(string Pod, IReadOnlyList<string> ClusterDns, string? ClusterDomain, string? HostFile);

    public static Request Read(CliArgs args)
    {
        var pod = args.Option("--pod") ?? throw new UsageException("--pod NAMESPACE/NAME is required");
        var clusterDns = args.IpOptions("--cluster-dns").Select(ip => ip.ToString()).ToList();
        var domain = args.Option("--cluster-domain");
        var hostFile = args.Option("--resolv-conf") ?? DefaultHostFile;
        return new Request(pod, clusterDns, domain?.TrimEnd('.'), hostFile.Length == 0 ? null : hostFile);
    }

    /// <summary>The pod and its file; null (with the reason on <paramref name="err"/>) when the kubelet could not form it.</summary>
    public static (Pod Pod, ResolvConf? File) Form(Cluster cluster, Request request, TextWriter err)
    {
        var pod = FindPod(cluster, request.Pod);
        string? hostText = null;
        if (request.HostFile is not null)
        {
            if (!File.Exists(request.HostFile))
            {
                err.WriteLine($"fastpath: --resolv-conf {request.HostFile}: no such file (the kubelet cannot create pod {request.Pod}'s sandbox; use --resolv-conf \"\" for no host file)");
                return (pod, null);
            }
            hostText = File.ReadAllText(request.HostFile);
        }
        var defaults = ResolvConfSettings.ForCluster(cluster, hostText);
        var settings = defaults with
        {
            ClusterDns = request.ClusterDns.Count > 0 ? request.ClusterDns : defaults.ClusterDns,
            ClusterDomain = request.ClusterDomain ?? defaults.ClusterDomain,
        };
        var formed = ResolvConfBuilder.For(pod, settings);
        // The kubelet records these as Warning events on the pod (or node); the file itself goes to stdout untouched.
        foreach (var e in formed.Events) err.WriteLine("Warning " + e);
        if (formed.Error is not null) err.WriteLine($"fastpath: {request.HostFile}: {formed.Error}");
        return (pod, formed.ResolvConf);
    }

    private static Pod FindPod(Cluster cluster, string nsName)
    {
        var parts = nsName.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new UsageException($"--pod expects NAMESPACE/NAME, not '{nsName}'");
        return cluster.Pods.FirstOrDefault(p => p.Namespace == parts[0] && p.Name == parts[1])
            ?? throw new UsageException($"no Pod {nsName} in the manifests");
    }
}
