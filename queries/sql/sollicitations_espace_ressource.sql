-- id: sollicitations_espace_ressource
-- titre: Sollicitations de l'espace ressource
-- definition: Nombre de sollicitations de type « espace_ressource » (demandes de conseil sans suivi individuel)
--   dont la date de saisine est comprise dans la période.
--   Paramètre public : les sollicitations de l'espace ressource ne concernent pas un ménage identifié et n'ont ni
--   public ni situation : elles ne sont comptées qu'avec « tous » (défaut) et valent 0 pour tout autre public.
-- unite: sollicitations
-- grain: territoire × période
-- parametres: debut, fin, plateformes, maille, pas, public=tous
-- sources: stg.saisines
-- sens: neutre
-- valeur: nb_espace_ressource
-- dimensions: territoire, periode
-- comptes: nb_espace_ressource
SELECT stg.territoire_de($maille, plateforme, code_epci, code_commune, code_departement) AS territoire,
       stg.periode_de(date_saisine, $pas, $debut) AS periode,
       count(*) AS nb_espace_ressource
FROM stg.saisines
WHERE est_espace_ressource
  AND date_saisine BETWEEN $debut AND $fin
  AND list_contains($plateformes, plateforme)
  AND stg.du_public($public, publics, est_sans_domicile)
GROUP BY ALL
ORDER BY territoire, periode
