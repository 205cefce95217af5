using System.IO;
using System.Linq;
using System.Text.Json;
using FastPath.Reference.DataPlane;
using FastPath.Runtime;

namespace FastPath.Cli.Commands;

/// <summary><c>fastpath endpoints NS/NAME</c>: what kube-proxy forwards a service port to, from one node.</summary>
internal static class EndpointsCommand
{
    public const string Usage = "fastpath endpoints NS/NAME [--port NAME|NUMBER] [--node NODE] [--external] [--json] [--manifests DIR]...";

    public static int Run(CliArgs args, TextWriter @out, TextWriter err)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expected NAMESPACE/NAME");
        var portText = args.Option("--port");
        var node = args.Option("--node");
        bool external = args.Flag("--external");
        bool json = args.Flag("--json");
        var cluster = ClusterInput.LoadOrReport(args, err);
        args.RejectUnknown();
        if (cluster is null) return 1;
        var (svc, port) = ServiceArgs.Resolve(cluster, args.Positionals[0], portText);
        var decision = EndpointCategorizer.Decide(cluster, svc, port, new TrafficSource(node, external));
        var endpoints = decision.Endpoints.Select(e => e.Key).OrderBy(k => k, System.StringComparer.Ordinal).ToList();
        string action = decision.Action switch
        {
            ProxyAction.Forward => "forward", ProxyAction.Reject => "reject", ProxyAction.Drop => "drop", _ => "none",
        };
        if (json)
        {
            using var w = new Utf8JsonWriter(new StreamAdapter(@out));
            w.WriteStartObject();
            w.WriteString("service", svc.Meta.Key);
            w.WriteNumber("port", port.Port);
            w.WriteString("source", external ? "external" : "internal");
            if (node is null) w.WriteNull("node"); else w.WriteString("node", node);
            w.WriteString("action", action);
            w.WriteStartArray("endpoints");
            foreach (var e in endpoints) w.WriteStringValue(e);
            w.WriteEndArray();
            w.WriteString("reason", decision.Reason);
            w.WriteEndObject();
            w.Flush();
            @out.WriteLine();
        }
        else
        {
            @out.WriteLine($"{svc.Meta.Key} port {port.Port}/{port.Protocol} from {(external ? "outside" : "a pod")} on {node ?? "(no node)"}: {action} ({decision.Reason})");
            foreach (var e in endpoints) @out.WriteLine("  " + e);
        }
        return 0;
    }
}

/// <summary>Lets Utf8JsonWriter write into a TextWriter.</summary>
internal sealed class StreamAdapter(TextWriter writer) : Stream
{
    public override void Write(byte[] buffer, int offset, int count) => writer.Write(System.Text.Encoding.UTF8.GetString(buffer, offset, count));
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new System.NotSupportedException();
    public override long Position { get => throw new System.NotSupportedException(); set => throw new System.NotSupportedException(); }
    public override void Flush() => writer.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new System.NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new System.NotSupportedException();
    public override void SetLength(long value) => throw new System.NotSupportedException();
}
