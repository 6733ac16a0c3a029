# Connexion : délais après des échecs répétés (ADR 0015).
auth-wait = Trop de tentatives pour ce compte ou depuis votre connexion. Par sécurité, attendez { $minutes } min avant de réessayer.
