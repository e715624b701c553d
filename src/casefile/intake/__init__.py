"""Mail in: `casefile intake` turns a customer's message into a case, an entry on one, or a status answer."""
