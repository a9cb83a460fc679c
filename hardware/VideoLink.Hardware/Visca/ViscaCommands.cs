using VideoLink.Hardware.Devices;

namespace VideoLink.Hardware.Visca;

/// <summary>VISCA command bytes (Sony VISCA command list; PTZOptics VISCA command document).</summary>
public static class ViscaCommands
{
    /// <summary>Broadcast address set: <c>88 30 01 FF</c>; the last camera answers <c>88 30 0w FF</c>.</summary>
    public static byte[] AddressSet() => [0x88, 0x30, 0x01, 0xFF];

    /// <summary>Broadcast IF_Clear: <c>88 01 00 01 FF</c>.</summary>
    public static byte[] InterfaceClear() => [0x88, 0x01, 0x00, 0x01, 0xFF];

    /// <summary>CAM_Power on <c>8x 01 04 00 02 FF</c> / standby <c>… 03 FF</c>.</summary>
    public static byte[] Power(int address, bool on) => [Header(address), 0x01, 0x04, 0x00, on ? (byte)0x02 : (byte)0x03, 0xFF];

    /// <summary>Pan-tiltDrive <c>8x 01 06 01 VV WW a b FF</c>.</summary>
    public static byte[] PanTilt(int address, PanTiltDirection direction, int panSpeed, int tiltSpeed)
    {
        (byte a, byte b) = direction switch
        {
            PanTiltDirection.Up => ((byte)0x03, (byte)0x01),
            PanTiltDirection.Down => ((byte)0x03, (byte)0x02),
            PanTiltDirection.Left => ((byte)0x01, (byte)0x03),
            PanTiltDirection.Right => ((byte)0x02, (byte)0x03),
            PanTiltDirection.UpLeft => ((byte)0x01, (byte)0x01),
            PanTiltDirection.UpRight => ((byte)0x02, (byte)0x01),
            PanTiltDirection.DownLeft => ((byte)0x01, (byte)0x02),
            PanTiltDirection.DownRight => ((byte)0x02, (byte)0x02),
            _ => ((byte)0x03, (byte)0x03),
        };
        return [Header(address), 0x01, 0x06, 0x01, (byte)panSpeed, (byte)tiltSpeed, a, b, 0xFF];
    }

    /// <summary>Pan-tiltDrive Home <c>8x 01 06 04 FF</c>.</summary>
    public static byte[] Home(int address) => [Header(address), 0x01, 0x06, 0x04, 0xFF];

    /// <summary>CAM_Zoom stop/tele/wide <c>8x 01 04 07 00|02|03 FF</c>.</summary>
    public static byte[] Zoom(int address, ZoomDirection direction) =>
        [Header(address), 0x01, 0x04, 0x07, direction switch { ZoomDirection.Tele => 0x02, ZoomDirection.Wide => 0x03, _ => 0x00 }, 0xFF];

    /// <summary>CAM_Memory recall <c>8x 01 04 3F 02 pp FF</c>.</summary>
    public static byte[] RecallPreset(int address, int preset) => [Header(address), 0x01, 0x04, 0x3F, 0x02, (byte)preset, 0xFF];

    /// <summary>CAM_Memory set <c>8x 01 04 3F 01 pp FF</c>.</summary>
    public static byte[] SetPreset(int address, int preset) => [Header(address), 0x01, 0x04, 0x3F, 0x01, (byte)preset, 0xFF];

    /// <summary>CAM_PowerInq <c>8x 09 04 00 FF</c> → <c>y0 50 02|03|04 FF</c>.</summary>
    public static byte[] PowerInquiry(int address) => [Header(address), 0x09, 0x04, 0x00, 0xFF];

    /// <summary>Command header <c>8x</c>.</summary>
    public static byte Header(int address) => (byte)(0x80 | address);

    /// <summary>Reply header <c>(x+8)0</c>: <c>90</c> for camera 1.</summary>
    public static byte ReplyHeader(int address) => (byte)((address + 8) << 4);
}
