using System;

namespace FastPath.Model.Tables;

/// <summary>
/// One slot of a perfect hash, 8 bytes little-endian: the entry + 1 (0 when empty) in the low 24 bits, the key's wire
/// length in the next 8 and the key's offset (in <c>Keys</c>, and in <c>DottedKeys</c>) in the high 32. With the key in
/// the slot a lookup compares the name while the entry's row is still being read, instead of after it (one dependent
/// load fewer). Both perfect hashes hold the same unit for an entry; the dotted key's length is the wire length less 2.
/// </summary>
public static class SlotUnit
{
    public const int Size = 8;
    /// <summary>The most entries a table can hold: the entry + 1 takes 24 bits.</summary>
    public const int MaxEntries = (1 << 24) - 1;

    public static ulong Pack(int entry, int keyOffset, int keyLength)
    {
        if ((uint)entry >= MaxEntries) throw new InvalidOperationException($"a DNS table holds at most {MaxEntries} names (entry {entry})");
        return (uint)(entry + 1) | ((ulong)(byte)keyLength << 24) | ((ulong)(uint)keyOffset << 32);
    }

    /// <summary>The unit of the entry whose row (<see cref="EntryField"/>) is <paramref name="row"/>.</summary>
    public static ulong Of(int entry, ReadOnlySpan<byte> row) =>
        Pack(entry, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(row.Slice(EntryField.KeyOffset)), row[EntryField.KeyLength]);

    /// <summary>The entry, or -1 for an empty slot.</summary>
    public static int Entry(ulong unit) => (int)(unit & 0xFFFFFF) - 1;
    public static int KeyLength(ulong unit) => (int)(unit >> 24) & 0xFF;
    public static int KeyOffset(ulong unit) => (int)(unit >> 32);

    /// <summary>
    /// Writes the unit of every slot of <paramref name="slots"/> (entry + 1 per slot, as <see cref="PerfectHash"/> makes
    /// them) where <paramref name="unitAt"/> says; <paramref name="unitOf"/> gives an entry's unit.
    /// </summary>
    internal static void WriteAll(int[] slots, Func<int, ulong> unitOf, CompiledLayout.RowAt unitAt)
    {
        for (int s = 0; s < slots.Length; s++)
        {
            ulong unit = slots[s] == 0 ? 0 : unitOf(slots[s] - 1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(unitAt(s), unit);
        }
    }
}
