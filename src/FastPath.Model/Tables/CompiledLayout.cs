using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FastPath.Model.Planning;

namespace FastPath.Model.Tables;

/// <summary>
/// The flat tables a compiled DNS engine reads, laid out from a <see cref="DnsPlan"/>. Integers are little-endian.
/// <list type="bullet">
/// <item><c>Keys</c>: every name in lower-case wire format, back to back.</item>
/// <item><c>Entries</c>: 12 bytes per name: key offset (i32), key length, zone, flags, pad, answer set (i32).</item>
/// <item><c>Sets</c>: per distinct answer set, an answer index (i32) per <see cref="QueryTypeGroup"/>.</item>
/// <item><c>Answers</c>: 32 bytes per distinct answer: data offset (i32), data length (u16), rcode, AA, the three section
/// counts (u16), the rotatable address run in the answer and additional sections (first, count: u16 each), the number of
/// zone-pointer fixups (u16), the index of its record offsets (i32), the index of its fixups (i32).</item>
/// <item><c>AnswerData</c>: the sections' bytes; <c>RecordOffsets</c>: each answer's record starts and its end (i32);
/// <c>Fixups</c>: offsets in the answer's data of the zone pointers the engine patches (i32).</item>
/// <item><c>Displacements</c> (u32 per bucket) and <c>Slots</c> (i32 per slot, entry + 1): the perfect hash.</item>
/// </list>
/// </summary>
public sealed class CompiledLayout
{
    public const int EntrySize = 12, AnswerSize = 32;
    public static readonly int ClassCount = Enum.GetValues(typeof(QueryTypeGroup)).Length;

    public byte[] Keys { get; private set; } = [];
    public byte[] Entries { get; private set; } = [];
    public byte[] Sets { get; private set; } = [];
    public byte[] Answers { get; private set; } = [];
    public byte[] AnswerData { get; private set; } = [];
    public byte[] RecordOffsets { get; private set; } = [];
    public byte[] Fixups { get; private set; } = [];
    public byte[] Displacements { get; private set; } = [];
    public byte[] Slots { get; private set; } = [];
    /// <summary>The names in dotted form (lower case, no trailing dot), at the same offsets as <see cref="Keys"/> minus one.</summary>
    public byte[] DottedKeys { get; private set; } = [];
    /// <summary>A second perfect hash over the dotted names, so UTF-8 and char lookups need no conversion to wire format.</summary>
    public byte[] DottedDisplacements { get; private set; } = [];
    public byte[] DottedSlots { get; private set; } = [];
    public int EntryCount { get; private set; }
    public int AnswerCount { get; private set; }
    public int SetCount { get; private set; }

    public static CompiledLayout Build(DnsPlan plan)
    {
        var keys = new MemoryStream();
        var entries = new MemoryStream();
        var sets = new MemoryStream();
        var answers = new MemoryStream();
        var data = new MemoryStream();
        var offsets = new MemoryStream();
        var fixups = new MemoryStream();
        var answerIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var setIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var hashes = new List<ulong>();
        var dottedHashes = new List<ulong>();
        var dotted = new MemoryStream();
        var set = new int[ClassCount];
        foreach (var e in plan.Entries)
        {
            var key = WireEncoder.Name(e.Name);
            hashes.Add(NameHash.Hash(key));
            var dottedKey = System.Text.Encoding.ASCII.GetBytes(e.Name == "." ? "" : e.Name.TrimEnd('.'));
            dottedHashes.Add(NameHash.Hash(dottedKey));
            for (int qc = 0; qc < ClassCount; qc++)
            {
                var a = e.Answers[(QueryTypeGroup)qc];
                if (plan.LoadBalance && a.Rcode == 0) a = Regroup(a);
                var encoded = Encode(a);
                if (!answerIds.TryGetValue(encoded.Signature, out int id))
                {
                    id = answerIds.Count;
                    answerIds[encoded.Signature] = id;
                    I32(answers, (int)data.Length);
                    U16(answers, encoded.Bytes.Length);
                    answers.WriteByte((byte)a.Rcode);
                    answers.WriteByte((byte)(a.Authoritative ? 1 : 0));
                    U16(answers, a.Answer.Count); U16(answers, a.Authority.Count); U16(answers, a.Additional.Count);
                    var (af, ac) = plan.LoadBalance && a.Rcode == 0 ? AddressRun(a.Answer) : (0, 0);
                    var (xf, xc) = plan.LoadBalance && a.Rcode == 0 ? AddressRun(a.Additional) : (0, 0);
                    U16(answers, af); U16(answers, ac); U16(answers, xf); U16(answers, xc);
                    U16(answers, encoded.Fixups.Count);
                    I32(answers, (int)(offsets.Length / 4));
                    I32(answers, (int)(fixups.Length / 4));
                    foreach (var o in encoded.RecordStarts) I32(offsets, o);
                    I32(offsets, encoded.Bytes.Length);
                    foreach (var f in encoded.Fixups) I32(fixups, f);
                    data.Write(encoded.Bytes, 0, encoded.Bytes.Length);
                }
                set[qc] = id;
            }
            var setKey = string.Join(",", set);
            if (!setIds.TryGetValue(setKey, out int setId))
            {
                setId = setIds.Count;
                setIds[setKey] = setId;
                foreach (var id in set) I32(sets, id);
            }
            I32(entries, (int)keys.Length);
            entries.WriteByte((byte)key.Length);
            entries.WriteByte((byte)e.Zone);
            entries.WriteByte((byte)e.Flags);
            entries.WriteByte(0);
            I32(entries, setId);
            keys.Write(key, 0, key.Length);
            // Dotted form at the same offset (minus the leading length byte), padded to the wire key's length.
            dotted.Write(dottedKey, 0, dottedKey.Length);
            dotted.Write(new byte[key.Length - dottedKey.Length], 0, key.Length - dottedKey.Length);
        }
        if (answers.Length != answerIds.Count * AnswerSize || entries.Length != plan.Entries.Count * EntrySize)
            throw new InvalidOperationException("table layout does not match its record sizes");
        var ph = PerfectHash.Build(hashes);
        var dph = PerfectHash.Build(dottedHashes);
        var disp = new MemoryStream();
        foreach (var d in ph.Displacements) I32(disp, (int)d);
        var slots = new MemoryStream();
        foreach (var s in ph.Slots) I32(slots, s);
        return new CompiledLayout
        {
            Keys = keys.ToArray(), Entries = entries.ToArray(), Sets = sets.ToArray(), Answers = answers.ToArray(),
            AnswerData = data.ToArray(), RecordOffsets = offsets.ToArray(), Fixups = fixups.ToArray(),
            Displacements = disp.ToArray(), Slots = slots.ToArray(),
            DottedKeys = dotted.ToArray(), DottedDisplacements = Ints(dph.Displacements.Select(d => (int)d)), DottedSlots = Ints(dph.Slots),
            EntryCount = plan.Entries.Count, AnswerCount = answerIds.Count, SetCount = setIds.Count,
        };
    }

    private sealed record Encoded(byte[] Bytes, List<int> RecordStarts, List<int> Fixups, string Signature);

    private static Encoded Encode(PlanAnswer a)
    {
        var w = new WireEncoder.Writer();
        var starts = new List<int>();
        foreach (var r in a.Answer.Concat(a.Authority).Concat(a.Additional)) { starts.Add(w.Length); w.Record(r); }
        var bytes = w.ToArray();
        var sig = $"{a.Rcode}|{a.Authoritative}|{a.Answer.Count}|{a.Authority.Count}|{a.Additional.Count}|{Convert.ToBase64String(bytes)}";
        return new Encoded(bytes, starts, w.Fixups, sig);
    }
    /// <summary>loadbalance's order for a mixed section: CNAMEs, other types, then the addresses (which rotate).</summary>
    private static PlanAnswer Regroup(PlanAnswer a) => a with { Answer = RegroupSection(a.Answer), Additional = RegroupSection(a.Additional) };

    private static IReadOnlyList<PlanRecord> RegroupSection(IReadOnlyList<PlanRecord> s)
    {
        if (s.All(r => r.IsAddress)) return s;
        return s.Where(r => r.Type == PlanType.CNAME).Concat(s.Where(r => r.Type != PlanType.CNAME && !r.IsAddress)).Concat(s.Where(r => r.IsAddress)).ToList();
    }

    /// <summary>The run of address records that rotates (first index, count), or (0, 0) when fewer than two.</summary>
    private static (int First, int Count) AddressRun(IReadOnlyList<PlanRecord> s)
    {
        int first = -1, count = 0;
        for (int i = 0; i < s.Count; i++)
            if (s[i].IsAddress) { if (first < 0) first = i; count++; }
        return count >= 2 ? (first, count) : (0, 0);
    }

    private static byte[] Ints(IEnumerable<int> values)
    {
        var ms = new MemoryStream();
        foreach (var v in values) I32(ms, v);
        return ms.ToArray();
    }

    private static void I32(Stream s, int v) { s.WriteByte((byte)v); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 24)); }
    private static void U16(Stream s, int v) { s.WriteByte((byte)v); s.WriteByte((byte)(v >> 8)); }
}
