"""Making the local webhook listener reachable from Blooio: ngrok, an external URL, or nothing."""
