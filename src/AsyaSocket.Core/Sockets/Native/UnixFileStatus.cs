using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AsyaSocket.Core.Sockets.Native;

/// <summary>What <c>lstat</c> says of a path: its type, mode, owner and identity (device and inode).</summary>
internal readonly record struct UnixFileStatus(uint Type, UnixFileMode Mode, uint OwnerUid, uint OwnerGid, ulong Device, ulong Inode)
{
    private const uint TypeMask = 0xF000;
    private const uint SocketType = 0xC000;
    private const uint SymlinkType = 0xA000;
    private const uint RegularType = 0x8000;
    private const uint DirectoryType = 0x4000;

    public bool IsSocket => Type == SocketType;
    public bool IsSymbolicLink => Type == SymlinkType;

    public string TypeName => Type switch
    {
        SocketType => "socket",
        SymlinkType => "symbolic link",
        RegularType => "regular file",
        DirectoryType => "directory",
        _ => "special file",
    };

    /// <summary>The status of <paramref name="path"/> itself (links are not followed); null when it does not exist or cannot be read.</summary>
    public static unsafe UnixFileStatus? TryRead(string path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return TryReadPortable(path);
        }

        byte* buffer = stackalloc byte[LibC.StatxBufferSize];
        if (LibC.Statx(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        // struct statx is a stable kernel ABI: uid@20 gid@24 mode@28 ino@32 dev_major@136 dev_minor@140.
        var span = new ReadOnlySpan<byte>(buffer, LibC.StatxBufferSize);
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
        var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(span[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(span[140..]);
        return new UnixFileStatus(
            mode & TypeMask,
            (UnixFileMode)(mode & 0xFFF),
            BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            device,
            BinaryPrimitives.ReadUInt64LittleEndian(span[32..]));
    }

    // Elsewhere (macOS) the type comes from FileSystemInfo; owner and identity are unknown.
    private static UnixFileStatus? TryReadPortable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
        {
            return null;
        }

        var type = info.LinkTarget is not null ? SymlinkType
            : info.Attributes.HasFlag(FileAttributes.Directory) ? DirectoryType
            : info.Attributes.HasFlag(FileAttributes.System) || info.Attributes.HasFlag(FileAttributes.Device) ? SocketType
            : RegularType;
        return new UnixFileStatus(type, info.UnixFileMode, uint.MaxValue, uint.MaxValue, 0, 0);
    }

    /// <summary>True when this process may write to (and so connect to) the socket at <paramref name="path"/>.</summary>
    public static bool CanWrite(string path) => LibC.Access(path, LibC.WriteOk) == 0;

    /// <summary>The effective user id of this process.</summary>
    public static uint CurrentUserId => LibC.GetEffectiveUserId();
}
