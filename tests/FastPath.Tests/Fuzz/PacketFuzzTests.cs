using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FastPath.Dns.Wire;
using FastPath.Fuzz;
using FastPath.Server;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace FastPath.Tests.Fuzz;

/// <summary>
/// Hostile packets against every parser and both engines (<see cref="FuzzTargets"/>): nothing throws, hangs or reads
/// out of bounds, the compiled and reference engines answer the same bytes, and each verdict gets CoreDNS's rcode.
/// The long run (a million packets and more) is bench/FastPath.Fuzz; CI runs the shorter ones here.
/// </summary>
public class PacketFuzzTests(ITestOutputHelper output)
{
    private static readonly Lazy<FuzzTargets> Targets = new(() => new FuzzTargets());

    /// <summary>Runs the check with a watchdog: a parser that loops forever fails the test instead of hanging the suite.</summary>
    private static string? CheckWithin(FuzzTargets targets, byte[] packet)
    {
        var task = Task.Run(() => targets.Check(packet));
        if (!task.Wait(TimeSpan.FromSeconds(10))) return "no answer within 10 s (a parser loops)";
        return task.Result;
    }

    // ---- FsCheck generators for malformed packets ---------------------------------------------------------------------

    private static readonly Gen<ushort> Counts = Gen.Elements<ushort>(0, 1, 1, 1, 2, 3, 0xFFFF);

    /// <summary>A label: usually a short valid one; sometimes 63, 64 or more octets, a pointer, or a reserved 0x40/0x80 type.</summary>
    private static Gen<byte[]> Label =>
        Gen.Frequency(
            (6, Gen.Choose(1, 10).Select(n => new[] { (byte)n }.Concat(Enumerable.Repeat((byte)'a', n)).ToArray())),
            (1, Gen.Elements(63, 64, 100).Select(n => new[] { (byte)n }.Concat(Enumerable.Repeat((byte)'b', n)).ToArray())),
            (1, Gen.Choose(0, 80).Select(t => new[] { (byte)0xC0, (byte)t })),
            (1, Gen.Elements<byte>(0x40, 0x80, 0xBF).Select(b => new[] { b, (byte)'x' })));

    private static Gen<byte[]> Name =>
        from count in Gen.Frequency((5, Gen.Choose(0, 5)), (1, Gen.Choose(30, 70)))
        from labels in Gen.ListOf(Label, count)
        from terminated in Gen.Elements(true, true, true, false)
        select labels.SelectMany(l => l).Concat(terminated ? [(byte)0] : []).ToArray();

    /// <summary>A record as queries carry them: mostly OPT (sometimes with broken options or a version above 0), or A with a wrong length.</summary>
    private static Gen<byte[]> Record =>
        from owner in Gen.Frequency((4, Gen.Constant(new byte[] { 0 })), (1, Name))
        from type in Gen.Elements<ushort>(41, 41, 1, 28, 5, 16)
        from rdata in Gen.Frequency(
            (3, Gen.Constant(Array.Empty<byte>())),
            (1, Gen.Elements(new byte[] { 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 }, [0, 10, 0, 9, 1, 2], [0, 8], [1, 2, 3, 4], [1, 2, 3, 4, 5])))
        from rdlengthLies in Gen.Elements(false, false, false, true)
        from version in Gen.Elements<byte>(0, 0, 0, 1, 2, 255) // an EDNS version above 0 is BADVERS
        select owner.Concat(Be16(type)).Concat(Be16(1232)).Concat(new byte[] { 0, version, 0, 0 }).Concat(Be16(rdlengthLies ? (ushort)(rdata.Length + 200) : (ushort)rdata.Length)).Concat(rdata).ToArray();

    private static byte[] Be16(ushort v) => [(byte)(v >> 8), (byte)v];

    public static Gen<byte[]> MalformedPackets =>
        from id in Gen.Choose(0, 65535)
        from flags in Gen.Elements<ushort>(0x0100, 0x0100, 0x0000, 0x8100, 0x1100, 0x2100, 0x0140, 0x0110)
        from qd in Counts
        from an in Counts
        from ns in Counts
        from ar in Counts
        from name in Name
        from qtype in Gen.Elements<ushort>(1, 28, 33, 5, 12, 255, 252, 0)
        from qclass in Gen.Elements<ushort>(1, 1, 1, 3, 255, 0)
        from records in Gen.ListOf(Record, 3)
        from cut in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 40)))
        select Assemble(id, flags, [qd, an, ns, ar], name, qtype, qclass, records, cut);

    private static byte[] Assemble(int id, ushort flags, ushort[] counts, byte[] name, ushort qtype, ushort qclass, IEnumerable<byte[]> records, int cut)
    {
        var p = new List<byte>(Be16((ushort)id)) { };
        p.AddRange(Be16(flags));
        foreach (var c in counts) p.AddRange(Be16(c));
        p.AddRange(name);
        p.AddRange(Be16(qtype));
        p.AddRange(Be16(qclass));
        foreach (var r in records) p.AddRange(r);
        return cut >= 0 && cut < p.Count ? p.Take(cut).ToArray() : [.. p];
    }

    [Fact]
    public void Generated_malformed_packets_never_crash_a_parser_and_both_engines_agree_byte_for_byte()
    {
        var targets = Targets.Value;
        var property = Prop.ForAll(MalformedPackets.ToArbitrary(), packet =>
        {
            var failure = CheckWithin(targets, packet);
            if (failure is not null) throw new Exception($"{Convert.ToHexString(packet)}\n{failure}");
        });
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true), property);
        output.WriteLine(string.Join(", ", Enum.GetNames<QueryVerdict>().Select((n, i) => $"{n} {targets.Verdicts[i]}")));
    }

    [Fact]
    public void Mutated_queries_never_crash_a_parser_and_both_engines_agree_byte_for_byte()
    {
        // The CI-sized run of the fuzz runner's mutator (bench/FastPath.Fuzz runs a million and more).
        var targets = new FuzzTargets();
        var mutator = new PacketMutator(20261202);
        for (int i = 0; i < 20_000; i++)
        {
            var packet = mutator.Next();
            var failure = targets.Check(packet);
            Assert.True(failure is null, $"packet {i} {Convert.ToHexString(packet)}\n{failure}");
        }
        // The mutator must reach every verdict, or the run proves less than it claims.
        foreach (var v in Enum.GetValues<QueryVerdict>()) Assert.True(targets.Verdicts[(int)v] > 0, $"no packet got {v}");
        output.WriteLine(string.Join(", ", Enum.GetNames<QueryVerdict>().Select((n, i) => $"{n} {targets.Verdicts[i]}")));
    }

    public static IEnumerable<object[]> Corpus() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Corpus", "packets.txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => new object[] { l });

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Corpus_packet_gets_its_verdict_and_the_same_bytes_from_both_engines(string line)
    {
        var comment = line.IndexOf("  #", StringComparison.Ordinal);
        var fields = line.Substring(0, comment).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var verdict = Enum.Parse<QueryVerdict>(fields[0]);
        byte[] packet = fields[^1] == "-" ? [] : Convert.FromHexString(fields[^1]);
        Assert.Equal(verdict, DnsWireReader.CheckQuery(packet, out int nameEnd, out _, out _, out _));
        Assert.Null(Targets.Value.Check(packet));
        if (fields.Length == 3)
        {
            int edns = int.Parse(fields[1].Substring("edns=".Length), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(edns, Edns.ClientPayloadSize(packet, nameEnd + 4));
        }
    }

    [Fact]
    public void The_corpus_holds_every_verdict()
    {
        var verdicts = Corpus().Select(o => Enum.Parse<QueryVerdict>(((string)o[0]).Split(' ')[0])).ToHashSet();
        Assert.Equal(Enum.GetValues<QueryVerdict>().ToHashSet(), verdicts);
    }
}
