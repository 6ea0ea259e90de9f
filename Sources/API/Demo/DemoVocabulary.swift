/// The French words the demo draws from: names, places, operators, and the fragments that make
/// interview summaries read like a referent's notes (never empty, always about the barriers).
enum DemoVocabulary {
    static let womenFirstNames = [
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine", "Stéphanie", "Céline",
        "Aurélie", "Julie", "Émilie", "Sophie", "Laure", "Camille", "Léa", "Manon", "Chloé", "Inès",
        "Sarah", "Fatima", "Aïcha", "Yasmine", "Nadia", "Samira", "Amandine", "Élodie", "Mélanie", "Virginie",
        "Hélène", "Françoise", "Brigitte", "Martine", "Karine", "Océane", "Jade", "Lina", "Aminata", "Mariam",
    ]
    static let menFirstNames = [
        "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Stéphane", "Laurent", "Frédéric",
        "Julien", "Sébastien", "Thomas", "Kevin", "Maxime", "Lucas", "Hugo", "Théo", "Nathan", "Mehdi",
        "Karim", "Mohamed", "Youssef", "Rachid", "Sofiane", "Jérôme", "Olivier", "Franck", "Grégory", "Cédric",
        "Benoît", "François", "Rémi", "Anthony", "Jordan", "Dylan", "Mamadou", "Moussa", "Ibrahima", "Loïc",
    ]
    static let otherFirstNames = ["Camille", "Alex", "Charlie", "Sacha", "Dominique", "Claude", "Morgan", "Eden"]
    static let lastNames = [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Müller", "Lefebvre", "Faure", "André",
        "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
        "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
        "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
        "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
        "Benali", "Haddad", "Diallo", "Traoré", "Nguyen", "Da Silva", "Ferreira", "Kaya", "Benoît", "Caron",
        "Hoarau", "Payet", "Le Gall", "Le Goff", "Ménard", "Lecomte", "Renaud", "Schmitt", "Colin", "Vidal",
    ]
    static let streets = [
        "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta", "rue Pasteur",
        "place de la Mairie", "rue des Écoles", "allée des Tilleuls", "rue du Moulin", "cité des Peupliers",
        "rue Émile Zola", "avenue de la Libération", "impasse des Lilas", "rue Jules Ferry", "chemin des Vignes",
    ]
    static let cities: [(name: String, postalCode: String, rural: Bool)] = [
        ("Villeneuve-sur-Lot", "47300", false), ("Agen", "47000", false), ("Marmande", "47200", false),
        ("Tonneins", "47400", false), ("Nérac", "47600", true), ("Casteljaloux", "47700", true),
        ("Fumel", "47500", true), ("Sainte-Livrade-sur-Lot", "47110", true), ("Le Passage", "47520", false),
        ("Boé", "47550", false), ("Bon-Encontre", "47240", false), ("Aiguillon", "47190", true),
    ]
    static let structures: [(name: String, kind: String)] = [
        ("Maison de l'emploi du Grand Villeneuvois", "maison_emploi"), ("Association Trait d'Union", "association"),
        ("CCAS de la ville d'Agen", "ccas"), ("Mission locale de l'Agenais", "mission_locale"),
        ("Régie de quartier Montanou", "regie_quartier"), ("Association Chantiers Solidaires", "aci"),
        ("Centre social Lot et Garonne Nord", "centre_social"), ("Service insertion de la communauté d'agglomération", "collectivite"),
        ("Association Passerelle Emploi", "association"), ("Espace emploi Val de Garonne", "association"),
    ]
    static let operators = [
        "AFPA Agen", "GRETA Lot-et-Garonne", "Chantier d'insertion Les Jardins du Lot", "Entreprise d'insertion Recyclerie 47",
        "ETTI Solid'Intérim", "France Travail", "Auto-école sociale Mobil'Emploi", "CCI formation", "Ateliers de la Garonne",
        "Intermarché Villeneuve", "EHPAD Les Glycines", "Mairie d'Agen", "Transports Lacoste", "Boulangerie Dufour",
        "Clinique Saint-Hilaire", "Entreprise Lesgourgues Bâtiment", "Association ADMR", "Leclerc Boé", "Plateforme mobilité 47",
    ]
    static let employers = [
        "Intermarché Villeneuve", "EHPAD Les Glycines", "Transports Lacoste", "Boulangerie Dufour", "Clinique Saint-Hilaire",
        "Lesgourgues Bâtiment", "ADMR du Lot", "Leclerc Boé", "Conserverie Valette", "Prunes d'Agen SA", "Onet Propreté",
        "Mairie de Marmande", "La Poste Agen", "Brico Dépôt", "Restaurant Le Lot", "Domaine de Calassou", "Logistique Sud-Ouest",
    ]
    static let jobTitles = [
        "Agent(e) d'entretien", "Aide à domicile", "Préparateur(trice) de commandes", "Employé(e) libre-service", "Cariste",
        "Aide-soignant(e)", "Agent(e) de restauration", "Manœuvre bâtiment", "Chauffeur livreur", "Caissier(ère)",
        "Ouvrier(ère) agricole", "Agent(e) de sécurité", "Serveur(se)", "Employé(e) administratif(ve)", "Magasinier(ère)",
    ]
    static let professionalGoals = [
        "Aide à domicile", "Agent d'entretien des locaux", "Cariste en logistique", "Métiers de la vente", "Restauration collective",
        "Conduite poids lourds", "Métiers du soin", "Bâtiment second œuvre", "Espaces verts", "Secrétariat", "Création d'entreprise",
    ]

    /// Interview summaries: an opening, the work done on a barrier, and what comes next.
    static let summaryOpenings = [
        "Entretien de suivi.", "Point d'étape sur le parcours.", "Rendez-vous mensuel.", "Échange avec la participante.",
        "Échange avec le participant.", "Entretien téléphonique.", "Bilan intermédiaire.", "Entretien après l'atelier collectif.",
    ]
    static let summaryWork = [
        "Travail sur la mobilité : inscription au code de la route, dossier d'aide au permis déposé.",
        "Logement : demande de logement social relancée, rendez-vous pris avec l'assistante sociale.",
        "Santé : suivi médical en cours, la personne se sent prête à reprendre une activité à temps partiel.",
        "Garde d'enfants : solution trouvée avec la crèche municipale, disponibilité confirmée le matin.",
        "Langue : inscription à l'atelier de français langue étrangère deux fois par semaine.",
        "Numérique : création de l'espace France Travail et d'une adresse mail, CV déposé en ligne.",
        "Dettes : dossier de surendettement accompagné par le CCAS, budget revu ensemble.",
        "Démarches administratives : renouvellement du titre de séjour et de la carte Vitale.",
        "Qualification : recherche d'une formation qualifiante, dossier de financement en préparation.",
        "Recherche d'emploi : CV mis à jour, trois candidatures envoyées cette semaine.",
        "Préparation à l'entretien d'embauche : simulation, présentation et questions de l'employeur.",
        "Immersion en entreprise : retour positif du tuteur, savoir-être et ponctualité appréciés.",
    ]
    static let summaryNext = [
        "Prochain rendez-vous dans quinze jours.", "Positionnement sur une offre à faire.", "Relancer l'organisme de formation.",
        "Atelier CV prévu la semaine prochaine.", "Contact à prendre avec l'employeur.", "Suivre la réponse de la commission.",
        "Faire le point sur les démarches engagées.", "Préparer le comité de suivi.",
    ]
    static let contactSummaries = [
        "Contact avec l'employeur : intégration satisfaisante, horaires respectés.",
        "Appel à la personne : le poste lui convient, quelques difficultés de transport.",
        "Point avec le tuteur : montée en compétences, renouvellement du contrat envisagé.",
        "Visite sur le lieu de travail : bonne ambiance, formation interne prévue.",
    ]
    static let barrierDetails: [String: [String]] = [
        "mobility": ["Pas de permis de conduire", "Pas de véhicule, zone mal desservie"],
        "housing": ["Hébergement chez un tiers", "Logement insalubre"],
        "health": ["Problème de dos", "Suivi médical régulier"],
        "childcare_family": ["Deux enfants en bas âge", "Parent isolé sans solution de garde"],
        "language_literacy": ["Français oral fragile", "Difficultés de lecture et d'écriture"],
        "digital": ["Pas d'ordinateur", "Peu à l'aise avec les démarches en ligne"],
        "finances_debt": ["Dettes de loyer", "Budget très contraint"],
        "administrative_legal": ["Titre de séjour à renouveler", "Droits à ouvrir"],
        "qualification": ["Pas de diplôme", "Diplôme étranger non reconnu"],
        "other": ["Isolement social", "Manque de confiance en soi"],
    ]
    static let rejectionAlternatives = [
        "Orientation vers la mission locale pour un accompagnement jeunes.",
        "Orientation vers un accompagnement social global (département).",
        "Proposition d'un accompagnement France Travail renforcé.",
        "Orientation vers un atelier chantier d'insertion en direct.",
    ]
}
