using System;
using System.Collections.Generic;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// A read-only open-addressing table from byte keys (lower-case wire names, or address bytes) to their index in the
/// list it was built from: built once, looked up without allocating. The plugins' tables are small (hosts entries,
/// pod addresses), so linear probing at a load of at most one half keeps a lookup to a hash, a probe or two and a compare.
/// Most lookups are misses (a Service name asked past hosts), so a key length no key has is answered before hashing.
/// </summary>
internal sealed class ByteKeyTable
{
    private readonly byte[] _keys;
    private readonly int[] _keyStart, _keyLength;
    /// <summary>Per slot the key's index + 1, or 0 when empty.</summary>
    private readonly int[] _slots;
    private readonly int _mask;
    /// <summary>Bit n set when some key is n bytes long (keys are names or addresses: at most 255 bytes).</summary>
    private readonly ulong[] _lengths = new ulong[4];

    public ByteKeyTable(IReadOnlyList<byte[]> keys)
    {
        int total = 0;
        foreach (var k in keys) total += k.Length;
        _keys = new byte[total];
        _keyStart = new int[keys.Count];
        _keyLength = new int[keys.Count];
        int size = 4;
        while (size < keys.Count * 2) size <<= 1;
        _slots = new int[size];
        _mask = size - 1;
        int at = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length > 255) throw new ArgumentException("a key is longer than 255 bytes", nameof(keys));
            _lengths[keys[i].Length >> 6] |= 1UL << (keys[i].Length & 63);
            keys[i].CopyTo(_keys, at);
            _keyStart[i] = at; _keyLength[i] = keys[i].Length;
            at += keys[i].Length;
            if (Find(keys[i]) >= 0) throw new ArgumentException("a key is given twice", nameof(keys));
            int s = (int)Hash(keys[i]) & _mask;
            while (_slots[s] != 0) s = (s + 1) & _mask;
            _slots[s] = i + 1;
        }
    }

    public int Count => _keyStart.Length;

    /// <summary>The index of the key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (!MayHold(key.Length)) return -1;
        int s = (int)Hash(key) & _mask;
        while (true)
        {
            int i = _slots[s] - 1;
            if (i < 0) return -1;
            if (_keyLength[i] == key.Length && key.SequenceEqual(_keys.AsSpan(_keyStart[i], _keyLength[i]))) return i;
            s = (s + 1) & _mask;
        }
    }

    /// <summary>Whether some key is this long.</summary>
    public bool MayHold(int length) => (uint)length <= 255 && (_lengths[length >> 6] & (1UL << (length & 63))) != 0;

    /// <summary>FNV-1a, then a multiply so the low bits used for the slot depend on every byte.</summary>
    private static uint Hash(ReadOnlySpan<byte> key)
    {
        uint h = 2166136261;
        foreach (byte b in key) h = (h ^ b) * 16777619;
        return (h * 0x9E3779B1u) ^ (h >> 15);
    }
}
