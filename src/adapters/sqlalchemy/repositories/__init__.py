"""SQL repositories, one module per area; locking queries live here."""
