import CrisisCueApp
import CrisisCueCore
import Foundation
import Testing

/// The shipped intent model (models/intents.yaml) on the traps shared/DOMAIN.md lists, and
/// the loader's messages on malformed files.
@Suite("The shipped intent model on the domain's traps")
struct IntentModelTests {
    /// The phrase rules alone: these tests pin what the rules read in a sentence; the
    /// call classifier, which decides whole calls, is tested by `ShippedClassifierTests`
    /// and measured by `eval` (docs/history.md "Stop 28").
    static let model = {
        var m = try! IntentModelFile.load(Fixtures.root + "/models/intents.yaml")
        m.classifier = nil
        return m
    }()

    func action(_ text: String) -> SuggestedAction {
        let events = AnalyzeCommand.analyze(TypedTranscript(text: text), call: "t", model: Self.model, callStart: Date())
        if case .summary(let s) = events.last!.payload { return s.action }
        return .none
    }

    func counted(_ text: String) -> [String] {
        let matcher = IntentMatcher(model: Self.model)
        let words = text.split(separator: " ").enumerated().map { i, w in
            RecognizedWord(text: String(w), start: Double(i) * 0.3, end: Double(i) * 0.3 + 0.25)
        }
        return matcher.findings(in: words).filter(\.counts).map(\.category)
    }

    @Test("the issue's three ways of saying it are suicidal ideation", arguments: [
        "he wants to kill himself", "she said she wants to end her life", "I've been thinking about killing myself",
    ])
    func suicidal(text: String) {
        #expect(counted(text).contains("suicidal_ideation"))
        #expect(action(text) == .transfer)
    }

    @Test("negations are not exclusions", arguments: [
        "no, no weapons", "he used to own a gun but he sold it", "nobody is hurt", "she's breathing fine",
        "he overdosed back in twenty nineteen", "he has a box cutter for work but it's locked in his truck",
        "he doesn't have any guns", "there are no knives in the house", "he had a rifle years ago",
        "his guns are at his brother's place", "he pawned the rifle",
        // Handed on or taken elsewhere (`given`), taken back later in the turn (`after_turn`).
        "I gave my old service revolver to my son when I retired, there's nothing like that here",
        "his daddy took all the hunting rifles home to his place back in August",
        "I took the kitchen knives over to my mom's last week",
        "she's waving a knife, wait, no, sorry, it's a paintbrush",
        "his hand's bleeding, hold on. No, no, that's mud, it's just mud",
        "the knives are in a lockbox in the office, he can't get near them",
        "he was chopping peppers but he put the knife away in the drawer",
        "he's swinging something at the fence. Oh, it's the garden hose, he's just watering",
        "my boy took my pistol off to his house back in the spring",
    ])
    func negations(text: String) {
        let safety = Set(["weapon", "violence", "medical", "attempt", "police"])
        #expect(counted(text).filter(safety.contains).isEmpty, "\(text)")
        #expect(action("caller: my son is hearing voices and he is off his medication\ncaller: \(text)") == .transfer, "\(text)")
    }

    @Test("the call-taker's questions are not evidence, in typed or inferred turns", arguments: [
        "does he have any weapons?", "is anyone hurt?", "Did he take any pills?", "okay is he breathing",
    ])
    func takerQuestions(text: String) {
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\n\(text)\nno") == .transfer, "\(text)")
        #expect(action("caller: my brother is paranoid and thinks the neighbors are spying on him\ntaker: \(text)") == .transfer)
    }

    @Test("a confirmed question is evidence")
    func confirmed() {
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\ndoes he have any weapons?\nyes, a hunting rifle in his truck") == .safety)
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\ndoes he have any weapons?\nyeah he does") == .safety)
    }

    @Test("confusers are not indicators", arguments: [
        "my phone is about to die", "I'm dying to get home", "I just got my flu shot", "the kids are pretending to shoot zombies",
        "the battery is dead", "my back is killing me", "I found a dog at the animal shelter",
        "the carbon monoxide alarm is going off", "she threw my backpack out on the lawn",
        "I need to get clean clothes", "we have to get cleaned up before mom comes",
        "I'm calling from the gun store on Route nine", "the car windows are barely cracked", "the landlord doesn't pick up at night",
        "he's thirty eight years old",
        "my roadside plan isn't picking up", "it's suicide trying to turn left here", "I'm watching them on the camera from the office",
        "the shelf in the garage is too high for me", "this heat is literally killing me", "my husband tripped over the dog's leash",
        "sorry for wasting your time", "he's playing that game where you blow up all the cars",
        "we've been bleeding money since the spring", "his name's Tank, can you keep watch for him",
    ])
    func confusers(text: String) {
        #expect(counted(text).isEmpty, "\(text)")
        #expect(action(text) == .none)
    }

    @Test("each exclusion vetoes a transfer", arguments: [
        "he has a knife", "he's going to shoot the neighbor", "she overdosed and she's not breathing",
        "he took a bunch of pills", "I need the police here now", "he punched his girlfriend",
        "he threw a chair at his mom", "he's on the outside of the railing now", "my roommate, she took pills",
        // Handed over or fetched is present: no "gave ..." or "came and ..." negation cue.
        "she gave her boyfriend the gun", "he came to get the gun", "he came and got his gun", "he bought a gun back in August",
        // Acquired or kept, it is present whatever past time follows (`kept_before`).
        "he bought a gun last month", "he got a new rifle last year",
        "he has his dad's old thirty eight", "there's a pistol tucked in his waistband", "she's holding the kitchen shears",
        "he said he'd cut me if I called anyone", "she swallowed what was left in the bottle",
        // A year back undoes an overdose, not a weapon kept since.
        "he bought a gun back in twenty nineteen",
        "he has a bat", "he roughed her up", "he put her in a chokehold", "he tried to run me over", "he came at me",
        "she went after her brother", "he's cold to the touch", "his pupils are pinpoint", "she's in the garage with the car running",
        "she's on the roof threatening to jump", "he's going in and out of consciousness", "he's got a hammer",
        // Either half of a hand-over alone is no negation.
        "his buddy gave him a gun last week", "he held the knife to my son's throat", "she took all the pills in the bottle",
        "he's going to put his old supervisor in the ground tonight", "she opened up her forearm with a blade",
        "there's blood all down her arm", "she just cut herself again",
        // "anybody" after it is whom it threatens, not a question.
        "he's pointing a can of bear spray at anybody who comes near",
        // Roles are people; a described break-in is a crime in progress.
        "he said he's going over there to hurt his landlord", "there's a guy pulling on the car door handles in our driveway",
        "her wrists are all cut up", "he keeps a box of shells next to the deer rifle",
        "he's got the splitting maul up on his shoulder", "there's red all over the bath mat",
        "somebody keeps turning my back door handle", "her lips look kind of dusky",
    ])
    func exclusions(text: String) {
        #expect(action("my husband is drunk and we've been arguing all night\n\(text)") == .safety, "\(text)")
    }

    @Test("warning signs in a caller's own words", arguments: [
        "he keeps saying nobody's gonna miss him", "he says he won't be around much longer",
        "he's been giving all his stuff away and he texted me sorry for everything",
        "she doesn't plan on sticking around", "he says it'd be easier if he just didn't wake up",
        // An absence stated with its negation, and "since" a past time, are still now.
        "his family has been living in their van since last month", "I've got no roof over my head",
        "nobody's laid eyes on him since Tuesday", "she hasn't been back to the dorm since the weekend",
        "she thinks the neighbors are stealing her thoughts", "he couldn't tell me his own name and he has a memory care bracelet",
        "the walls keep closing in on me", "she wants off the stuff", "he's sleeping in the bus shelter since the landlord changed the locks on him",
        "she went to sleep and didn't wake up is what she wants, she said", "he reeks of booze and he can't stand up",
        "I've been hooked on pain pills for two years", "I want to get clean", "he ate some mushrooms and he's tripping hard",
        "my roommate drank a ton tonight and she's crying in the hallway",
        "I'm just not tryna be here anymore", "I'd as soon not wake up tomorrow", "I need help getting off the booze",
        "I'm back over there in my head and I can't get out of it", "I can't remember how I got here",
        // "he's joking" undoes it, "I don't think he's joking" does not.
        "my buddy keeps saying he's gonna off himself, and I don't think he's joking",
    ])
    func warningSigns(text: String) {
        #expect(action(text) == .transfer, "\(text)")
    }

    @Test("a call-taker's instruction to stay put is not a housing crisis", arguments: [
        "taker: Good, stay outside. Is anyone else inside the house?",
        "taker: Put your hazards on if they work and stay in the car.",
        "Put your hazards on if they work and stay in the car",
    ])
    func instructions(text: String) {
        #expect(action("caller: there's a fire in my frying pan\n\(text)\ncaller: okay") == .none, "\(text)")
    }

    @Test("typed questions: a short follow-up question, a long question to its mark, an echo", arguments: [
        "Does he have access to any weapons? Guns, knives?\nNo, nothing like that.",
        "Does he seem sick? Trouble breathing, anything like that?\nNo, he is fine.",
        "Does he have anything in his hands, anything at all that could be used as a weapon?\nJust a bus pass.",
        "A weapon? No, no weapon.",
    ])
    func typedQuestions(text: String) {
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\n\(text)") == .transfer, "\(text)")
    }

    @Test("a caller repeating a longer question states nothing; a caller's own request still counts")
    func callerEchoes() {
        let start = "caller: my brother is paranoid and thinks the neighbors are spying on him\n"
        #expect(action(start + "caller: Is he armed? No, sir, there's nothing like that.") == .transfer)
        #expect(action(start + "caller: You asked does he have a knife? He's just sitting on the curb crying.") == .transfer)
        #expect(action(start + "caller: You're asking if he took any pills? Nothing, he's just sleeping.") == .transfer)
        #expect(action(start + "caller: Can you send the police? He's breaking the door down.") == .safety)
        #expect(action(start + "caller: Is he armed? Yes, he has a knife.") == .safety)
    }

    @Test("words only a call-taker says are a question however the opening was heard", arguments: [
        "but he threatened you or anyone else", "and he hurt you at all", "as he hit you or anyone else",
        "did he point it at you",
    ])
    func takerPhrases(text: String) {
        let safety = Set(["weapon", "violence", "medical", "attempt", "police"])
        #expect(counted(text).filter(safety.contains).isEmpty, "\(text)")
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\n\(text)\nno") == .transfer, "\(text)")
        // Confirmed, it is the caller's evidence.
        #expect(action("my brother is paranoid and thinks the neighbors are spying on him\n\(text)\nyes he did") == .safety, "\(text)")
        // A threat the caller quotes still counts; so does what was done to the caller.
        #expect(counted("he keeps saying he's gonna hurt you").contains("violence"))
        #expect(counted("he hit me and threatened my mom").contains("violence"))
    }

    @Test("a negated stop keeps it going; requests for police are not questions", arguments: [
        ("my son won't stop screaming at me and we've been arguing all night", SuggestedAction.transfer),
        ("my neighbor is drunk and can you send the police please", .safety),
        ("he is homeless and I would like the police to come and remove him", .safety),
        ("he is off his meds and I don't think he needs the police", .transfer),
        // A stranger following the caller is not paranoia; "they follow him everywhere" is.
        ("there's a man who has been following me for three blocks and I'm scared", .none),
        ("he's convinced the FBI is following him everywhere", .transfer),
        ("I went after him to bring him home, he has dementia", .transfer),
    ])
    func requestsAndStops(text: String, expected: SuggestedAction) {
        #expect(action(text) == expected, "\(text)")
    }

    @Test("idioms that sound like exclusions", arguments: [
        "I shot her a text yesterday", "this week has been killing me", "he knocked over a chip display",
        "he's slamming his bedroom door", "I would rather not wake up", "we had a breakdown and our car stopped in the lane",
        "I swear I could strangle him sometimes", "honestly it'd be easier if I just didn't wake up",
        "we all got hammered last night",
        "he knocked over the coffee machine but that's about it", "I took her purse, and whatever she had went down the toilet",
        "my toddler grabbed my phone off the couch", "he heard your voice", "his mail's piled up so high it's falling off the porch",
        "I'm by the ice machine, I ain't moving", "he went through a divorce in the fall and he's hardly come out since",
        "he's just sitting on the edge of the bed with his newspaper", "my mom is going to kill me because I lost my key again",
        "just a cracked taillight and my bumper's a little sad", "one of them threw a couch cushion at the wall",
        "I just needed to hear a voice", "the bottle's been empty since Thursday, the pharmacy won't fill it",
        "he's killing me asking for a cigarette", "it's pitch black out here", "can you get to a room that locks",
        "she's diabetic but she's usually good about her sugars", "I took all his guns home with me",
        "everything of Daddy's, guns and all, went at the auction in March",
        "we lock all the knives up and they're all accounted for", "he's drunk and i got kicked out of the house",
    ])
    func idioms(text: String) {
        let safety = Set(["weapon", "violence", "medical", "attempt", "police"])
        #expect(counted(text).filter(safety.contains).isEmpty, "\(text)")
    }

    @Test("a thought of taking pills is ideation, an act is an attempt; words for one call, read in general", arguments: [
        // A threat to take them keeps the attempt's words: the pills may be in her hand.
        ("my mom said she was going to take all her pills tonight, she didn't take anything, I counted them", SuggestedAction.safety),
        ("she's thought about taking all her pills, but she hasn't, the bottle is in my purse", SuggestedAction.transfer),
        ("she took all her pills an hour ago and she said she wants to die", SuggestedAction.safety),
        ("she's been planning how to not be around by summer", SuggestedAction.transfer),
        ("he carried a pocketknife in high school but he gave it up, I threw it out years ago, now he's hearing voices", SuggestedAction.transfer),
        ("he's screaming that he's done, he's finished with all of it, and he says he has a gun in there", SuggestedAction.safety),
        ("a patron just shoved an elderly woman to the floor and he keeps yelling that the cameras are watching him", SuggestedAction.safety),
        // dev13, dev14: plain and second-language English.
        ("all week she say she want to die, and now she take many pills", SuggestedAction.safety),
        ("he says he took every one of them so he can go be with his late wife", SuggestedAction.safety),
        ("she is very confuse today, she say I am a stranger in her house", SuggestedAction.transfer),
        ("my sister call our mother three days and no answer, we are very worried", SuggestedAction.transfer),
        ("my son take the hunting rifle to his own house last year, now he hear voices", SuggestedAction.transfer),
        ("I keep thinking my family gets the life insurance if I'm gone", SuggestedAction.transfer),
        ("she has autism and she's in an acute behavioural crisis, striking her head, there's blood now", SuggestedAction.safety),
        ("he's in a rage and slamming his door, he threw a kitchen chair and it hit my six year old", SuggestedAction.safety),
        ("so she can go be with her sister at the hospital, she's fine", SuggestedAction.none),
        ("my husband is a psych crisis worker and somebody hacked his phone", SuggestedAction.none),
        // dev15: an attempt told in amounts, a stop that still holds, a bar at closing.
        ("I don't want to be here anymore, I swallowed most of a bottle of my sleeping pills", SuggestedAction.safety),
        ("he stopped his lithium about a month ago and he hasn't slept since", SuggestedAction.transfer),
        ("the bar just closed and threw everybody out, and I'm drunk again, I want a detox", SuggestedAction.transfer),
        ("my dad has dementia, he was trying to get into their shed like it was his old workshop", SuggestedAction.transfer),
        ("he's been hearing demons talking through the pipes and he put his hand through the window, it's bleeding bad", SuggestedAction.safety),
        ("the baby had a lot of shots today at the doctor", SuggestedAction.none),
        ("the dog ate half the box of chocolates", SuggestedAction.none),
        // dev16: gun slang, everyday words near danger words, disorientation with a wound.
        ("he still keeps his old piece from his night watchman days in the top drawer, he's got the Alzheimer's", SuggestedAction.safety),
        ("I keep thinking everybody'd be better off, I got Granddad's lever action sitting across my lap", SuggestedAction.safety),
        ("he's manic, jumping from topic to topic, he stopped his lithium a month ago", SuggestedAction.transfer),
        ("my brother's useless, I shot him a text this morning, I'm falling apart, mom has dementia", SuggestedAction.transfer),
        ("their car alarm's been screaming since midnight and nobody's home", SuggestedAction.none),
        ("I pushed my panic button by accident, I'm fine", SuggestedAction.none),
        ("I've gone and locked myself out of my own house and the soup's burning", SuggestedAction.none),
        ("she doesn't know what month it is and she's very disoriented, her hair is matted with blood", SuggestedAction.safety),
        ("I've been sleeping in the wagon since they said the house is not fit to live in", SuggestedAction.transfer),
        // dev17: money and habits cut are not wounds (a wound needs a body part); a
        // negated-looking warning sign; verbal abuse named; drowsiness from fumes.
        ("they cut my pension by a third and now I'm behind on the rent, I'm getting evicted", SuggestedAction.transfer),
        ("I've cut back on my drinking but I still can't stop, I want a detox", SuggestedAction.transfer),
        ("she keeps saying she didn't want to be a burden anymore", SuggestedAction.transfer),
        ("he'd rather be dead than go on like this", SuggestedAction.transfer),
        ("I don't want to be a burden, but my car broke down on the highway", SuggestedAction.none),
        ("he said he'd rather she be dead than with another man", SuggestedAction.none),
        ("it's just yelling from the bar down the street, I'm calling about a parked car", SuggestedAction.none),
        ("my husband is locked in the bathroom and can't get out, the door handle broke", SuggestedAction.none),
        // dev18: a widower who doesn't see the point anymore, paranoia in the water and the
        // television, bleeding in pregnancy; not bad blood, not a blood test.
        ("my neighbour lost his wife, he told me he doesn't see the point anymore", SuggestedAction.transfer),
        ("she's convinced the neighbours are putting something in the water, she won't drink anything", SuggestedAction.transfer),
        ("mom's yelling at the television, she thinks the news anchor is talking to her", SuggestedAction.transfer),
        ("I'm pregnant and I'm having a panic attack, and there's blood, a lot of it", SuggestedAction.safety),
        ("there's bad blood between him and his brother, they're arguing in the yard", SuggestedAction.transfer),
        ("he's hearing voices again, there's a blood test tomorrow he won't go to", SuggestedAction.transfer),
        ("my dad doesn't see the point anymore in paying for cable", SuggestedAction.none),
        ("he's barely conscious of what he's saying, he's ranting that the government is following him", SuggestedAction.transfer),
        ("I've been having thoughts about cutting again", SuggestedAction.transfer),
        ("my sister is calling him a thief and a forger, nobody's touching anybody, it's just ugly words", SuggestedAction.transfer),
        ("she's depressed, she can't keep her eyes open and she's barely with me", SuggestedAction.safety),
        // dev19: neighbours and buildings, euphemism and slang; a friendly wave, a super's
        // phone, pills and a rifle taken out of the house.
        ("nobody in this building would notice if I just stopped existing", SuggestedAction.transfer),
        ("I'm clocking out for good tonight, I had some of my mom's sleeping pills", SuggestedAction.safety),
        ("she's on the bed with empty pill bottles all over the blanket, she swallowed every one of them", SuggestedAction.safety),
        ("he's paranoid about the neighbors and I saw his heater tucked in the front of his jeans", SuggestedAction.safety),
        ("he's off his meds and he said the neighbor will be leaving in a bag", SuggestedAction.safety),
        ("I'm tired of being alive, I've been giving my stuff away, my sister took the pills out of the house last month", SuggestedAction.transfer),
        ("she's using meth again, so my husband's rifle went over to his brother's place", SuggestedAction.transfer),
        ("I'm having a panic attack, I swear this job is going to put me in the ground", SuggestedAction.transfer),
        ("my neighbor always waves at me, she's eighty and her mail's been stuffed in the box for a week", SuggestedAction.transfer),
        ("the building manager isn't picking up and water is pouring through my ceiling", SuggestedAction.none),
        ("I've been using again and I took some bars, now I keep nodding off in the middle of talking", SuggestedAction.safety),
        ("he's supposed to be on lithium but he flushed it last week", SuggestedAction.transfer),
        ("the people downstairs are talking about me through the floor vents all night", SuggestedAction.transfer),
        ("my teenager is locked in her room screaming that she hates me", SuggestedAction.transfer),
        ("I gave my razors to the lady downstairs last month, but I keep thinking about killing myself", SuggestedAction.transfer),
        ("I'm retiring on Friday, clocking out for good after thirty years", SuggestedAction.none),
        ("my daughter takes Lamictal for her epilepsy, she's doing fine, I'm calling about a parked car", SuggestedAction.none),
        // dev20: young people and older adults; pills saved up or taken out of the house,
        // a lost man, a bluish look, accusations of dementia, music to drown a parent out.
        ("she's been saving up her sleeping pills for months because nobody needs her anymore", SuggestedAction.transfer),
        ("he'd rather be dead than go back to school, the kids bully him every day", SuggestedAction.transfer),
        ("I woke up from my nap and I don't know whose house this is", SuggestedAction.transfer),
        ("there's an old man in my store who can't tell me where he lives, he has a memory impaired bracelet", SuggestedAction.transfer),
        ("he's pulling hard for every breath and his lips have a bluish look, he has dementia", SuggestedAction.safety),
        ("she's depressed and she swallowed the whole jar of her pills", SuggestedAction.safety),
        ("I took every pill bottle in the house out to my car, he keeps saying he doesn't want to be here anymore", SuggestedAction.transfer),
        ("my son is screaming at me and blasting music to drown me out, he says he hates me", SuggestedAction.transfer),
        ("mom has dementia and she's yelling that I stole her purse", SuggestedAction.transfer),
        ("it's breaking my heart, my brother and I are in a shouting match about mom's house", SuggestedAction.transfer),
        ("there's smoke pouring out of a house down the street, I don't know whose house it is", SuggestedAction.none),
        ("don't open the door, he has a gun, he's been drinking all day", SuggestedAction.safety),
        ("my sister is suicidal and she took all the pill bottles into her room", SuggestedAction.safety),
    ])
    func threatsAndActs(text: String, expected: SuggestedAction) {
        #expect(action(text) == expected, "\(text)")
    }

    @Test("confusers and negation cues written for one call never hide these dangers", arguments: [
        "he's hearing voices, he's got a knife and he won't give it up",
        "he's drunk and he has a knife and he's trying to throw them out of the house",
        "he's off his meds and he punched his brother and then he threw them out",
        "he's suicidal and he cleaned out the gun safe",
        "she said she's going to take all her pills, she has the bottle in her hand",
        "I took his pills, I want to die",
        "he's drunk and he's roughing up my cousin",
        "he's drunk and he pushed uh down the stairs",
        "my dad's been drinking and my dad is going to kill me for calling",
        "he's drunk, the boxes were piled up and he fell down the stairs",
        "she has asthma and she's panicking, she feels like she's drowning",
        "she's depressed and suicidal and she's sitting on the edge of the tub",
        "he's drunk and he hit my cousin",
        // Stop 23's review: rules written for dev13 and dev14 that first hid these.
        "he's drunk i got stabbed and he ran away",
        "my son is suicidal and i took the gun but he has another one at home",
        "he's hearing voices he's got a knife but he's always good about his meds",
        "he's depressed he's having a seizure and he's usually good about his medication",
        "he's off his meds he took the rifle and went to a yard sale",
        "he's been talking about killing himself and he took all his guns out of the cabinet",
        "she's suicidal she took all the knives and locked herself in the bathroom",
        "my dad is drunk and he cut his leg with the chainsaw",
        "she's been hearing voices and she cut her arm with a saw",
        "my husband is drunk he's killing me with his hands",
        "staff locked all the doors patient punching the walls he's off his meds",
        "he's depressed since the bank auctioned the farm guns are out on the table",
        "he's drunk he went pitch black out cold",
        "my husband is drunk and i got choked",
        "my son is high and i got shot at",
        "he's drunk and he cracked his head open",
        // Stop 24's review: rules written for dev15 that first hid these.
        "nobody in the house has a gun except my dad and he's drunk and waving it around",
        "the last time the cops came he almost jumped off the balcony, he's back out there on the railing crying",
        "the last time officers came out he had a gun, I think he still has it, he's been talking about suicide",
        "I'm bleeding really bad watching him from the car, he's drunk and he's crazy",
        "I was stabbed watching him, he's out of his mind on meth",
        "he's high on meth and kicking people out of his way at the bus stop",
        "my ex is trying to get into the house like it's his, he's drunk and yelling",
        "some man is trying to get into our garage like it's his, he's talking to himself and confused",
        "I'm at gunpoint watching him, he's out of his mind on meth",
        // This stop's review: rules first written for dev16 that hid these.
        "he's schizophrenic and he's got his dad's rifle, he thinks it's a scene from a movie",
        "she took a whole bottle of pills and she's filming it, she says it's a clip for a show",
        "my ex is high and he hit her car with his truck twice, she's still in it",
        "he's drunk and he smashed her car with her inside",
        "she's having a heart attack over it all, I think she's drunk",
        "he's having a stroke over this, his speech is slurred and his arm is numb, he's been drinking",
        "my brother is drunk and says he's going to shoot him a message he won't forget",
        "he's on the roof jumping from one thing to another, he's manic",
        "he's drunk and he threatened to leave me in the hospital like last time",
        "my husband is drunk and he threatened to leave me in a ditch",
        "he wrote a goodbye note to his coworkers and he has a gun, he's been so depressed",
        "she's drunk and choking on something, she can't breathe",
        // The final review: what the narrowed rules still hid.
        "my friend is drunk and the car hit her side, she's lying in the road",
        "my sister's drunk boyfriend hit her side of her face over and over",
        "he's drunk, he's going to shoot her a text then go over there and finish her",
        "before my mother has a stroke over this, she's panicking and slurring and can't lift her arm",
        "my dad's drunk, before my dad has a stroke over this, his face is numb on one side",
        "they're having it out and it's getting out of hand, he's swinging a frying pan at her head",
        // This stop's review: rules written for dev17 that first hid these.
        "he's drunk and he cut my cheek with a bottle",
        "she's depressed and she cut her arm again, and the landlord cut her power off",
        "he's drunk, they cut his hours, and he cut his hand open on the window",
        "they were having angry words and then he pulled out a gun",
        "he's cutting back on the drugs, now he's got a knife",
        "he's drunk and he locked me in the bedroom",
        "he's high and he cut her with a broken bottle",
        "he's been suicidal, he took his pills twice",
        "she's depressed and she says she took her pills by accident",
        // This stop's review: rules written for dev19 that first hid these.
        "my daughter took the pills from the medicine cabinet, all of them, she's depressed and getting sleepy",
        "my son says he took the pills out of my purse and he took them, he wants to die",
        "the gun went back to his waistband when he saw me on the phone, he's drunk and crazy",
        "his guns went back to his apartment with him and he's been talking about suicide all day",
        "he sent a picture of his gun to his therapist saying goodbye, he's going to kill himself",
        "he gave his rifle to the man across the hall but he bought another one yesterday and he's talking about ending it",
        "he just waved at me with it, he's drunk",
        "my boss is going to put me in the ground, he said it after he cornered me with a knife, I'm panicking",
        "my husband says he's tired of existing and he's got pills lined up on the counter",
        "my sister took the pills out of the house and now she's cutting herself with a knife",
        // The second review: rules written for dev20 that first hid these.
        "I hid his gun in my closet but he found it and he's loading it, he's been drinking",
        "I put the knives in my room but he has the big one from the block in his hand, he's off his meds",
        "my brother is high on meth and he's trying to drown her out back in the pond",
        "she's depressed, she took every pill bottle in the house into her bedroom and locked it",
        "he's been hoarding his pain pills, now he's slurring and I can't get him to sit up",
    ])
    func dangersKept(text: String) {
        #expect(action("caller: " + text) == .safety, "\(text)")
    }

    @Test("round 8: care settings, and body against mind, in callers' own words", arguments: [
        // Chest pain as callers put it is a medical emergency, and a danger the rules hear.
        ("there's a heavy pain right in the middle of my chest going down my left arm", "medical"),
        ("I've got this pain in my chest and I'm sweating buckets", "medical"),
        ("my chest is killing me", "medical"),
        ("I can't catch my breath", "medical"),
        ("he says the pain is shooting down his left arm", "medical"),
        ("he's screaming that he's going to kill his supervisor", "violence"),
        ("she injected all of her insulin at once", "attempt"),
        ("she swallowed her whole week of pills out of her pill organizer", "attempt"),
        ("he keeps typing on his talker that he wants to be dead", "suicidal_ideation"),
        ("I've been looking up ways to die", "suicidal_ideation"),
        ("my roommate left a note saying goodbye", "suicidal_ideation"),
        ("I have an anxiety disorder and I think I'm spiraling again", "mental_health"),
        ("grandpa doesn't know whose house he's in", "mental_health"),
        ("the boy can't tell anybody who he is", "mental_health"),
        ("she eloped from the day program forty minutes ago", "welfare"),
        ("he's missing from the group home", "welfare"),
    ])
    func roundEight(text: String, category: String) {
        #expect(counted(text).contains(category), "\(text): \(counted(text))")
    }

    @Test("a car running in anyone's garage is an attempt (stop 40)", arguments: [
        "he's sitting in his garage with the car running and the door shut",
        "she left the engine running in her garage",
        "he's in the garage with the car running",
    ])
    func garage(text: String) {
        #expect(counted(text).contains("attempt"), "\(text): \(counted(text))")
    }

    @Test("a car kept in a garage is no attempt (until stop 40 the skippable \"on\" let these match)", arguments: [
        "my car is in the garage, it won't start",
        "the truck is in the garage",
        "he keeps his car in the garage",
    ])
    func garageParked(text: String) {
        #expect(!counted(text).contains("attempt"), "\(text): \(counted(text))")
    }

    @Test("round 9 phrases: high places, wishes, lockouts, lines, attempts on purpose (stop 41)", arguments: [
        ("all day up there I keep thinking about just stepping off", "suicidal_ideation"),
        ("he keeps saying he wants to drive off the Route Nine overpass", "suicidal_ideation"),
        ("my father keeps telling me he wishes the river had taken him too", "suicidal_ideation"),
        ("the thunder set off my husband's post traumatic stress", "mental_health"),
        ("he's been doing lines in the porta-potty all morning", "substance_use"),
        ("the landlord changed the locks, so we're sitting on the curb", "housing"),
        ("he just drank antifreeze on purpose", "attempt"),
        ("she walked out onto the tracks and laid down across the rails", "attempt"),
    ])
    func roundNine(text: String, category: String) {
        #expect(counted(text).contains(category), "\(text): \(counted(text))")
    }

    @Test("round 9 confusers and suppositions: a trade, the storm, a past stroke, a question", arguments: [
        ("I'm a psychiatric nurse, but this is about a car alarm in our lot", "mental_health"),
        ("the storm knocked out the traffic lights on Main", "medical"),
        ("we're sheltering in the basement for the tornado warning", "housing"),
        ("she had heat stroke two summers ago, today she's fine", "medical"),
        ("would you guys come out if me and my brother argued about the will", "dispute"),
        ("is it against the law to be drunk on a roofing job", "substance_use"),
        ("one says the other cut his line on purpose, they're yelling", "substance_use"),
        ("this weather's been so bipolar this week", "mental_health"),
    ])
    func roundNineNot(text: String, category: String) {
        #expect(!counted(text).contains(category), "\(text): \(counted(text))")
    }

    @Test("stop 42: a shot, a thing that is killing me, and a state that ends only an emergency", arguments: [
        ("I got a shot at the pharmacy this morning and now I feel really anxious", "violence", false),
        ("I got shot, he shot me in the leg", "violence", true),
        ("this pill box business is just killing me, I can't keep any of it straight", "violence", false),
        ("he's killing me, he has his hands on my throat", "violence", true),
        ("she's really drunk, but she's awake and talking to me", "substance_use", true),
        ("she passed out but she's awake and talking now", "medical", false),
    ])
    func stopFortyTwo(text: String, category: String, counts: Bool) {
        #expect(counted(text).contains(category) == counts, "\(text): \(counted(text))")
    }

    @Test("round 8 confusers: a child drunk on sugar is no substance use")
    func drunkOnSugar() {
        #expect(!counted("he's drunk on sugar from the birthday cake").contains("substance_use"))
        #expect(counted("he's drunk again and yelling").contains("substance_use"))
    }

    @Test("disfluent speech reads as meant", arguments: [
        ("he's, he's got a, a knife and he's, um, he's yelling that they're after him", SuggestedAction.safety),
        ("um, my brother, he, he keeps, uh, hearing voices, like, telling him stuff", SuggestedAction.transfer),
        ("she, she took a, a whole bottle of, um, of her sleeping pills and she said she wants to die", SuggestedAction.safety),
    ])
    func disfluent(text: String, expected: SuggestedAction) {
        #expect(action(text) == expected, "\(text)")
    }

    @Test("a hypothetical is not a statement; a typed question after a pause is the call-taker's", arguments: [
        "caller: my mom and stepdad are at each other's throats again\ncaller: what if my stepdad shows up and starts swinging at her, what do I do",
        "caller: my mom and stepdad are at each other's throats again\ncaller: is it bad if somebody's lips turn blue, I saw it on a show",
        "my mom and stepdad are at each other's throats again\nWhen you say at each other's throats, is anybody getting physical?\nNo, nobody's touching anybody.",
        "my roommate and I have been yelling at each other for an hour\nSir, I have to ask, are you planning to hurt him?\nNo, I just want him to stop.",
    ])
    func hypotheticalsAndPausedQuestions(text: String) {
        #expect(action(text) == .transfer, "\(text)")
    }

    @Test("a supposition, a paused question or a repeat never hides an exclusion said plainly", arguments: [
        ("what if he has a gun he has a gun right here", "weapon"),
        ("he told her if she ever leaves he'll shoot her", "violence"),
        ("I don't know what, if anything, she took she swallowed a whole bottle of her pills", "attempt"),
        ("my son is hearing voices, is there any way you can send someone, he has a knife?", "weapon"),
        ("he grabbed his dad's thirty thirty", "weapon"),
        ("he, he, he stabbed her", "violence"),
        // Idioms and ideas that must stop short of a real danger.
        ("he's up on the bridge thinking about jumping off", "attempt"),
        ("he's standing at the edge of the dock saying he wants to die", "attempt"),
        ("my dad is going to kill me when he gets home, he said so", "violence"),
        ("she's been in pain since the fall and she can't get up", "medical"),
        ("my son grabbed my purse and ran out the door", "police"),
        // Any relative is a person: "my {relative}" in {person}.
        ("he dragged my sister by her hair", "violence"),
        ("he won't let my daughter leave", "violence"),
        ("I can't get my dad to wake up", "medical"),
        ("I want my husband arrested", "police"),
    ])
    func plainExclusions(text: String, category: String) {
        #expect(counted(text).contains(category), "\(text)")
    }

    @Test("an exact phrase of a later category wins the words over an edited match of an earlier one")
    func overlapPrefersExact() {
        // medical's "cut (on|in) her" matches "cut her" with one missing word; attempt's
        // "cut her wrists" is exact and longer, and an attempt is also a suicidal crisis.
        #expect(counted("she cut her wrists with a razor blade").contains("attempt"))
        #expect(action("i just found her in the bathroom and she cut her wrists") == .safety)
    }

    @Test("recognition errors: a garbled phrase still counts, a missing exclusion word fails safe")
    func recognitionErrors() {
        #expect(counted("he said he wants to kill him self").contains("suicidal_ideation"))
        #expect(counted("he's saying he wants to kill you").contains("violence"))
        #expect(counted("she is hearing the voices again tonight").contains("mental_health"))
    }

    @Test("a malformed model names the file, the line and the problem")
    func malformed() throws {
        let good = try String(contentsOfFile: Fixtures.root + "/models/intents.yaml", encoding: .utf8)
        func problem(_ text: String) -> IntentModelFile.Problem? {
            do { _ = try IntentModelFile.parse(text, file: "center.yaml"); return nil } catch let p as IntentModelFile.Problem { return p } catch { return nil }
        }
        let syntax = problem("version: 1\ncategories: [\n")
        #expect(syntax?.file == "center.yaml" && syntax?.line != nil)
        let badPhrase = problem(good.replacingOccurrences(of: "\"suicid*\"", with: "\"(suicid*\""))
        let line = good.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"suicid*\"") }! + 1
        #expect(badPhrase?.line == line)
        #expect(badPhrase?.message.contains("missing ')'") == true)
        let missing = problem(good.replacingOccurrences(of: "policy:", with: "polity:"))
        #expect(missing?.message.contains("missing field 'policy'") == true)
        let badKind = problem(good.replacingOccurrences(of: "kind: safety", with: "kind: danger"))
        #expect(badKind?.line != nil)
        let badZone = problem(good.replacingOccurrences(of: "America/Chicago", with: "Mars/Olympus"))
        #expect(badZone?.message.contains("time_zone") == true)
        let badScope = problem(good.replacingOccurrences(of: "hypothetical_scope: 8", with: "hypothetical_scope: 99"))
        #expect(badScope?.message.contains("hypothetical_scope") == true)
        #expect(badScope?.line != nil)
        // The classifier block's values: a threshold out of range or a category that is not
        // an exclusion is named with its line, not read as a policy that never vetoes.
        let badBar = problem(good.replacingOccurrences(of: "\n  safety_above: 0.2\n", with: "\n  safety_above: 20\n"))
        #expect(badBar?.message.contains("safety_above") == true && badBar?.message.contains("probability") == true, "\(String(describing: badBar))")
        #expect(badBar?.line == good.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "  safety_above: 0.2" }! + 1)
        let badCategory = problem(good.replacingOccurrences(of: "{weapon: 0.85, violence: 0.85}", with: "{weapon: 0.85, violins: 0.85}"))
        #expect(badCategory?.message.contains("'violins' is not a safety category") == true, "\(String(describing: badCategory))")
        let badLift = problem(good.replacingOccurrences(of: "\n  lift_safety_below: 0.17\n", with: "\n  lift_safety_below: -0.17\n"))
        #expect(badLift?.message.contains("lift_safety_below") == true, "\(String(describing: badLift))")
        // Only an exclusion can be firm: a crisis phrase the classifier could never overrule
        // has no meaning.
        let firmCrisis = problem(good.replacingOccurrences(of: "      - \"suicid*\"\n", with: "      - text: \"suicid*\"\n        firm: true\n"))
        #expect(firmCrisis?.message.contains("firm") == true, "\(String(describing: firmCrisis))")
        #expect(throws: IntentModelFile.Problem.self) { try IntentModelFile.load("/nonexistent/intents.yaml") }
    }

    @Test("a person nobody can wake is a firm medical exclusion; 'I can't wake up in the mornings' is not", arguments: [
        ("his roommate texted me he can't wake him up", true), ("she won't wake up, I'm shaking her", true),
        ("he's not waking up", true), ("we can't get him to wake up", true), ("I can't rouse her", true),
        ("I can't wake up in the mornings anymore, I just lie there", false),
    ])
    func firmWake(text: String, firm: Bool) {
        let matcher = IntentMatcher(model: Self.model)
        let words = text.replacingOccurrences(of: ",", with: "").split(separator: " ").enumerated().map { i, w in
            RecognizedWord(text: String(w).lowercased(), start: Double(i) * 0.3, end: Double(i) * 0.3 + 0.25)
        }
        let found = matcher.findings(in: words).filter(\.counts)
        #expect(found.contains { $0.category == "medical" && $0.firm } == firm, "\(found)")
    }
}
