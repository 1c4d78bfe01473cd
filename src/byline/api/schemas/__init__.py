"""The API's shapes, per domain. Every output schema is an allow-list: a field is public
only if it is named here, so an email address, an IP, a password hash or a token can never
leave through a model that gained a column."""
