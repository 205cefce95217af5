using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using FastPath.Model.Planning;

namespace FastPath.Model.Tables;

/// <summary>
/// The data-plane and environment plans as compact bytes: written into generated code at build time and read once
/// when the generated class is first used, so no generated method grows with the cluster.
/// </summary>
public static class PlanCodec
{
    private const int Version = 1;

    public static byte[] Write(IReadOnlyList<PortPlan> ports, IReadOnlyList<EnvironmentPlan> env)
    {
        var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(ports.Count);
            foreach (var p in ports)
            {
                w.Write(p.Namespace); w.Write(p.Service); Opt(w, p.PortName); w.Write(p.Port); w.Write(p.Protocol); w.Write(p.NodePort);
                w.Write(p.ClusterIP); Opt(w, p.ExternalVip);
                w.Write(p.Endpoints.Count);
                for (int i = 0; i < p.Endpoints.Count; i++) { w.Write(p.Endpoints[i]); w.Write(p.Weights[i]); }
                w.Write(p.Scheduler); w.Write(p.AffinityTimeout); w.Write(p.Source);
                w.Write(p.Decisions.Count);
                foreach (var d in p.Decisions)
                {
                    Opt(w, d.Node); w.Write(d.External); w.Write((byte)d.Action); w.Write((byte)ReasonOf(d.Reason));
                    w.Write(d.Eligible.Count);
                    foreach (var e in d.Eligible) Write7(w, e);
                }
            }
            w.Write(env.Count);
            foreach (var e in env)
            {
                w.Write(e.Namespace);
                Pairs(w, e.WithLinks);
                Pairs(w, e.WithoutLinks);
            }
        }
        return ms.ToArray();
    }

    /// <summary>The plans a blob written by <see cref="Write"/> holds.</summary>
    public sealed record Plans(IReadOnlyList<PortPlan> Ports, IReadOnlyList<EnvironmentPlan> Environment);

    public static Plans Read(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (r.ReadInt32() != Version) throw new InvalidDataException("the generated code was written by another version of FastPath; rebuild it");
        var ports = new List<PortPlan>();
        for (int n = r.ReadInt32(); n > 0; n--)
        {
            string ns = r.ReadString(), svc = r.ReadString();
            string? portName = OptRead(r);
            int port = r.ReadInt32();
            string protocol = r.ReadString();
            int nodePort = r.ReadInt32();
            string clusterIP = r.ReadString();
            string? vip = OptRead(r);
            var eps = new List<string>();
            var weights = new List<int>();
            for (int k = r.ReadInt32(); k > 0; k--) { eps.Add(r.ReadString()); weights.Add(r.ReadInt32()); }
            string scheduler = r.ReadString();
            int timeout = r.ReadInt32();
            string source = r.ReadString();
            var decisions = new List<PortDecision>();
            for (int k = r.ReadInt32(); k > 0; k--)
            {
                string? node = OptRead(r);
                bool external = r.ReadBoolean();
                int action = r.ReadByte();
                string reason = TextOf((DecisionReason)r.ReadByte());
                var eligible = new List<int>();
                for (int m = r.ReadInt32(); m > 0; m--) eligible.Add(Read7(r));
                decisions.Add(new PortDecision(node, external, action, eligible, reason));
            }
            ports.Add(new PortPlan(ns, svc, portName, port, protocol, nodePort, clusterIP, vip, eps, weights, scheduler, timeout, decisions, source));
        }
        var env = new List<EnvironmentPlan>();
        for (int n = r.ReadInt32(); n > 0; n--) env.Add(new EnvironmentPlan(r.ReadString(), PairsRead(r), PairsRead(r)));
        return new Plans(ports, env);
    }

    /// <summary>The reason a decision gives, written as one byte (the order is part of the format).</summary>
    public enum DecisionReason : byte { ClusterEndpoints, LocalEndpoints, NoUsableEndpoints, NoLocalEndpoint }

    /// <summary>The text each reason reads as (kube-proxy's wording, as the reference data plane gives it).</summary>
    public static string TextOf(DecisionReason reason) => reason switch
    {
        DecisionReason.ClusterEndpoints => "cluster endpoints",
        DecisionReason.LocalEndpoints => "local endpoints",
        DecisionReason.NoUsableEndpoints => "the service has no usable endpoints",
        DecisionReason.NoLocalEndpoint => "the Local traffic policy leaves no endpoint on this node",
        _ => throw new InvalidDataException($"reason {(byte)reason} is not in the plan format; rebuild the generated code"),
    };

    /// <summary>The reason for a planner's text; a text the format does not know is a FastPath bug, not a silent 255.</summary>
    public static DecisionReason ReasonOf(string text)
    {
        for (var r = DecisionReason.ClusterEndpoints; r <= DecisionReason.NoLocalEndpoint; r++)
            if (TextOf(r) == text) return r;
        throw new ArgumentException($"the planner gave a reason the plan format cannot write: '{text}'", nameof(text));
    }

    private static void Write7(BinaryWriter w, int v)
    {
        uint u = (uint)v;
        while (u >= 0x80) { w.Write((byte)(u | 0x80)); u >>= 7; }
        w.Write((byte)u);
    }

    private static int Read7(BinaryReader r)
    {
        int v = 0, shift = 0;
        byte b;
        do { b = r.ReadByte(); v |= (b & 0x7F) << shift; shift += 7; } while ((b & 0x80) != 0);
        return v;
    }

    private static void Opt(BinaryWriter w, string? s) { w.Write(s is not null); if (s is not null) w.Write(s); }
    private static string? OptRead(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void Pairs(BinaryWriter w, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        w.Write(pairs.Count);
        foreach (var kv in pairs) { w.Write(kv.Key); w.Write(kv.Value); }
    }

    private static List<KeyValuePair<string, string>> PairsRead(BinaryReader r)
    {
        var list = new List<KeyValuePair<string, string>>();
        for (int n = r.ReadInt32(); n > 0; n--) list.Add(new KeyValuePair<string, string>(r.ReadString(), r.ReadString()));
        return list;
    }
}
