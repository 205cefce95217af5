using System.IO;
using FastPath.Reference.DataPlane;

namespace FastPath.Cli.Commands;

/// <summary><c>fastpath env NAMESPACE</c>: the service variables the kubelet gives a pod there.</summary>
internal static class EnvCommand
{
    public const string Usage = "fastpath env NAMESPACE [--no-service-links] [--manifests DIR]...";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expected NAMESPACE");
        bool links = !args.Flag("--no-service-links");
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;
        foreach (var kv in ServiceEnvironment.For(cluster, args.Positionals[0], links)) @out.WriteLine($"{kv.Key}={kv.Value}");
        return 0;
    }
}
