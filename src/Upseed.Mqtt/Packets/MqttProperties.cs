namespace Upseed.Mqtt.Packets;

/// <summary>The property list of an MQTT 5 packet, in wire order. Empty for MQTT 3.1.1.</summary>
public sealed record MqttProperties(IReadOnlyList<MqttProperty> Items)
{
    public static MqttProperties Empty { get; } = new([]);

    public bool IsEmpty => Items.Count == 0;

    /// <summary>The value of an integer property, when present.</summary>
    public bool TryGetInteger(MqttPropertyId id, out uint value)
    {
        foreach (var item in Items)
        {
            if (item.Id == id)
            {
                value = item.Number;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>The value of a string property, when present.</summary>
    public bool TryGetText(MqttPropertyId id, out string value)
    {
        foreach (var item in Items)
        {
            if (item.Id == id && item.Text is not null)
            {
                value = item.Text;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>A copy with one more property.</summary>
    public MqttProperties With(MqttProperty property) => new([.. Items, property]);
}
