using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// Pod addresses (4 or 16 bytes) to their index in the list they came from, for autopath's client lookup, which every
/// query from a pod makes. An IPv4 address is one 32-bit key: a multiply finds its slot and one compare confirms it,
/// where <see cref="ByteKeyTable"/> hashes byte by byte and compares spans. IPv6 addresses take the general table.
/// </summary>
internal sealed class ClientTable
{
    private readonly ByteKeyTable _all;
    /// <summary>Per slot an IPv4 key (as read from its bytes) and its index, or -1 when the slot is empty.</summary>
    private readonly uint[] _v4Keys;
    private readonly int[] _v4Index;
    private readonly int _mask, _shift;

    public ClientTable(IReadOnlyList<byte[]> addresses)
    {
        _all = new ByteKeyTable(addresses);
        int v4 = 0;
        foreach (var a in addresses) if (a.Length == 4) v4++;
        int bits = 2;
        while ((1 << bits) < v4 * 2) bits++;
        _shift = 32 - bits;
        _mask = (1 << bits) - 1;
        _v4Keys = new uint[1 << bits];
        _v4Index = new int[1 << bits];
        Array.Fill(_v4Index, -1);
        for (int i = 0; i < addresses.Count; i++)
        {
            if (addresses[i].Length != 4) continue;
            uint key = MemoryMarshal.Read<uint>(addresses[i]);
            int s = Slot(key);
            while (_v4Index[s] >= 0) s = (s + 1) & _mask; // ByteKeyTable has already refused a key given twice
            _v4Keys[s] = key;
            _v4Index[s] = i;
        }
    }

    /// <summary>The index of the address, or -1.</summary>
    public int Find(ReadOnlySpan<byte> address)
    {
        if (address.Length != 4) return _all.Find(address);
        uint key = MemoryMarshal.Read<uint>(address);
        for (int s = Slot(key); ; s = (s + 1) & _mask)
        {
            int i = _v4Index[s];
            if (i < 0 || _v4Keys[s] == key) return i;
        }
    }

    /// <summary>Fibonacci hashing: the multiply's top bits depend on every bit of the key.</summary>
    private int Slot(uint key) => (int)((key * 0x9E3779B1u) >> _shift);
}
