using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Core.Checkpoints;

/// <summary>
/// Checks a pickle before it is unpickled: walks every opcode without executing anything and rejects the stream when
/// it names a Python global (a class or function the unpickler would call) outside a small allow-list, namely the ones
/// a <c>torch.save</c>d state_dict needs: the tensor rebuild functions, <c>collections.OrderedDict</c> and the typed
/// storages. So a crafted file cannot make the reader construct anything but tensors, dicts, lists and scalars.
/// </summary>
/// <remarks>
/// TorchSharp.PyBridge's unpickler runs no Python either, but it turns an unknown global into a generic object
/// instead of refusing it; this guard makes the refusal explicit and names the offending global. A
/// <c>STACK_GLOBAL</c> (protocol 4+) is accepted only when both of its names were pushed as string literals or fetched
/// from the memo as such, so its target is known statically.
/// </remarks>
public static class PickleGlobalGuard
{
    /// <summary>The globals a state_dict pickle may reference, as <c>module.name</c>.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "collections.OrderedDict",
        "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
        "torch.BoolStorage",
    };

    /// <summary>Throws unless every global referenced by <paramref name="pickle"/> is in <see cref="AllowedGlobals"/>.</summary>
    /// <param name="pickle">The pickle bytes (e.g. <c>archive/data.pkl</c> of a zip-format torch.save file).</param>
    /// <param name="source">Where the bytes came from, for the error message.</param>
    /// <exception cref="InvalidDataException">
    /// A global outside the allow-list, an unverifiable <c>STACK_GLOBAL</c>, an unknown opcode or a truncated stream.
    /// </exception>
    public static void Check(ReadOnlySpan<byte> pickle, string source)
    {
        var memo = new Dictionary<long, string?>();
        // The last two values pushed, as far as they are known string literals (null: something else).
        string? below = null, top = null;
        long nextMemoIndex = 0;
        int position = 0;

        void Push(string? value) => (below, top) = (top, value);

        while (true)
        {
            if (position >= pickle.Length)
                throw new InvalidDataException($"'{source}': the pickle ends without a STOP opcode.");
            byte opcode = pickle[position++];
            switch ((char)opcode)
            {
                case '.': // STOP
                    return;
                case 'c': // GLOBAL module\nname\n
                {
                    string module = ReadLine(pickle, ref position, source);
                    string name = ReadLine(pickle, ref position, source);
                    Require($"{module}.{name}", source);
                    Push(null);
                    break;
                }
                case '\u0093': // STACK_GLOBAL
                    if (below is null || top is null)
                        throw new InvalidDataException(
                            $"'{source}': the pickle uses STACK_GLOBAL with names that are not string literals; refusing to load it.");
                    Require($"{below}.{top}", source);
                    Push(null);
                    break;
                case 'X': // BINUNICODE
                    Push(ReadString(pickle, ref position, checked((int)ReadUInt32(pickle, ref position, source)), source));
                    break;
                case '\u008c': // SHORT_BINUNICODE
                    Push(ReadString(pickle, ref position, Take(pickle, ref position, 1, source)[0], source));
                    break;
                case '\u008d': // BINUNICODE8
                    Push(ReadString(pickle, ref position, checked((int)ReadUInt64(pickle, ref position, source)), source));
                    break;
                case 'V': // UNICODE (protocol 0), raw-unicode-escaped line
                    Push(ReadLine(pickle, ref position, source));
                    break;
                case '\u0094': // MEMOIZE
                    memo[nextMemoIndex++] = top;
                    break;
                case 'q': // BINPUT
                    memo[Take(pickle, ref position, 1, source)[0]] = top;
                    break;
                case 'r': // LONG_BINPUT
                    memo[ReadUInt32(pickle, ref position, source)] = top;
                    break;
                case 'p': // PUT (text index)
                    memo[ParseIndex(ReadLine(pickle, ref position, source), source)] = top;
                    break;
                case 'h': // BINGET
                    Push(memo.GetValueOrDefault(Take(pickle, ref position, 1, source)[0]));
                    break;
                case 'j': // LONG_BINGET
                    Push(memo.GetValueOrDefault(ReadUInt32(pickle, ref position, source)));
                    break;
                case 'g': // GET (text index)
                    Push(memo.GetValueOrDefault(ParseIndex(ReadLine(pickle, ref position, source), source)));
                    break;
                case 'i': // INST module\nname\n: constructs a class by name
                {
                    string module = ReadLine(pickle, ref position, source);
                    string name = ReadLine(pickle, ref position, source);
                    Require($"{module}.{name}", source);
                    Push(null);
                    break;
                }
                case '\u0082' or '\u0083' or '\u0084': // EXT1, EXT2, EXT4: globals from the copyreg extension registry
                    throw new InvalidDataException($"'{source}': the pickle references a global through the extension registry; refusing to load it.");
                default:
                    if (!OperandLengths.TryGetValue(opcode, out int length))
                        throw new InvalidDataException($"'{source}': unknown pickle opcode 0x{opcode:x2} at byte {position - 1}; refusing to load it.");
                    SkipOperand(pickle, ref position, opcode, length, source);
                    Push(null);
                    break;
            }
        }
    }

    /// <summary>
    /// Operand sizes of the opcodes that reference no global: a fixed byte count, or a negative code for a length
    /// prefix (-1: 1-byte, -4: 4-byte, -8: 8-byte) or a newline-terminated text operand (-10).
    /// </summary>
    private static readonly Dictionary<byte, int> OperandLengths = new()
    {
        [(byte)'('] = 0, [(byte)'t'] = 0, [(byte)')'] = 0, [(byte)'l'] = 0, [(byte)']'] = 0, [(byte)'d'] = 0,
        [(byte)'}'] = 0, [(byte)'a'] = 0, [(byte)'e'] = 0, [(byte)'s'] = 0, [(byte)'u'] = 0, [(byte)'0'] = 0,
        [(byte)'1'] = 0, [(byte)'2'] = 0, [(byte)'N'] = 0, [(byte)'R'] = 0, [(byte)'b'] = 0, [(byte)'Q'] = 0,
        [(byte)'o'] = 0, // OBJ: calls a class already on the stack, which a GLOBAL (checked) put there
        [0x81] = 0, // NEWOBJ
        [0x85] = 0, [0x86] = 0, [0x87] = 0, // TUPLE1..3
        [0x88] = 0, [0x89] = 0, // NEWTRUE, NEWFALSE
        [0x8f] = 0, [0x90] = 0, [0x91] = 0, [0x92] = 0, // EMPTY_SET, ADDITEMS, FROZENSET, NEWOBJ_EX
        [0x97] = 0, [0x98] = 0, // NEXT_BUFFER, READONLY_BUFFER
        [(byte)'J'] = 4, [(byte)'K'] = 1, [(byte)'M'] = 2, [(byte)'G'] = 8,
        [0x80] = 1, // PROTO
        [0x95] = 8, // FRAME
        [(byte)'T'] = -4, [(byte)'U'] = -1, [(byte)'B'] = -4, [(byte)'C'] = -1, // BINSTRING, SHORT_BINSTRING, BINBYTES, SHORT_BINBYTES
        [0x8e] = -8, [0x96] = -8, // BINBYTES8, BYTEARRAY8
        [0x8a] = -1, [0x8b] = -4, // LONG1, LONG4
        [(byte)'I'] = -10, [(byte)'L'] = -10, [(byte)'F'] = -10, [(byte)'S'] = -10, [(byte)'P'] = -10, // text operands
    };

    private static void SkipOperand(ReadOnlySpan<byte> pickle, ref int position, byte opcode, int length, string source)
    {
        switch (length)
        {
            case >= 0: Take(pickle, ref position, length, source); break;
            case -1: Take(pickle, ref position, Take(pickle, ref position, 1, source)[0], source); break;
            case -4: Take(pickle, ref position, checked((int)ReadUInt32(pickle, ref position, source)), source); break;
            case -8: Take(pickle, ref position, checked((int)ReadUInt64(pickle, ref position, source)), source); break;
            case -10: ReadLine(pickle, ref position, source); break;
            default: throw new InvalidOperationException($"Bad operand code {length} for opcode 0x{opcode:x2}.");
        }
    }

    private static void Require(string global, string source)
    {
        if (!AllowedGlobals.Contains(global))
            throw new InvalidDataException(
                $"'{source}': the pickle references the Python global '{global}', which a state_dict does not need; " +
                "refusing to load it (only tensors, storages, dicts, lists and scalars are accepted).");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> pickle, ref int position, int count, string source)
    {
        if (count < 0 || position + count > pickle.Length)
            throw new InvalidDataException($"'{source}': the pickle is truncated at byte {position}.");
        var taken = pickle.Slice(position, count);
        position += count;
        return taken;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> pickle, ref int position, string source) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, ref position, 4, source));

    private static ulong ReadUInt64(ReadOnlySpan<byte> pickle, ref int position, string source) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Take(pickle, ref position, 8, source));

    private static string ReadString(ReadOnlySpan<byte> pickle, ref int position, int count, string source) =>
        Encoding.UTF8.GetString(Take(pickle, ref position, count, source));

    private static string ReadLine(ReadOnlySpan<byte> pickle, ref int position, string source)
    {
        int end = pickle[position..].IndexOf((byte)'\n');
        if (end < 0) throw new InvalidDataException($"'{source}': the pickle is truncated at byte {position}.");
        string line = Encoding.UTF8.GetString(pickle.Slice(position, end));
        position += end + 1;
        return line;
    }

    private static long ParseIndex(string text, string source) =>
        long.TryParse(text, out long index) ? index : throw new InvalidDataException($"'{source}': bad memo index '{text}' in the pickle.");
}
